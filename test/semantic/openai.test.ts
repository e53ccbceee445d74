import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { EmbeddingError, OpenAIEmbedder } from '../../src/semantic/openai.js';

/** A stub of an OpenAI-compatible /v1/embeddings endpoint on 127.0.0.1: vector = [len, 1, index]. */
let server: Server;
let base = '';
const seen: { body: { model: string; input: string[] }; auth?: string }[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

before(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req));
    seen.push({ body, auth: req.headers.authorization });
    if (req.url === '/fail') return void res.writeHead(500).end('boom');
    if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 500);
    // Answer in reverse order with explicit indices: the client must reorder.
    const data = body.input.map((t: string, i: number) => ({ index: i, embedding: [t.length, 1, i] })).reverse();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data, usage: { prompt_tokens: body.input.length * 3 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

test('posts {model, input[]} in batches, reorders by index, normalises, counts tokens', async () => {
  seen.length = 0;
  const e = new OpenAIEmbedder({ url: `${base}/v1/embeddings`, model: 'm1', apiKey: 'sk-test', batchSize: 2 });
  const out = await e.embed(['abc', 'de', 'f']);
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[0]!.body, { model: 'm1', input: ['abc', 'de'] });
  assert.deepEqual(seen[1]!.body.input, ['f']);
  assert.equal(seen[0]!.auth, 'Bearer sk-test');
  assert.equal(out.length, 3);
  const norm = Math.hypot(3, 1, 0);
  assert.deepEqual([...out[0]!].map((x) => +x.toFixed(4)), [3 / norm, 1 / norm, 0].map((x) => +x.toFixed(4)));
  assert.ok(out[1]![2]! > 0, 'second input keeps its own index');
  assert.deepEqual(e.stats, { calls: 2, inputs: 3, tokens: 9 });
});

test('HTTP errors and timeouts fail with the URL, password redacted', async () => {
  const failing = new OpenAIEmbedder({ url: `http://u:secret@127.0.0.1:${base.split(':')[2]}/fail`, model: 'm' });
  await assert.rejects(failing.embed(['x']), (e: Error) => e instanceof EmbeddingError && /HTTP 500/.test(e.message) && !e.message.includes('secret'));
  const slow = new OpenAIEmbedder({ url: `${base}/slow`, model: 'm', timeoutMs: 50 });
  await assert.rejects(slow.embed(['x']), /no answer within 50 ms/);
  const nobody = new OpenAIEmbedder({ url: 'http://127.0.0.1:9/v1/embeddings', model: 'm', timeoutMs: 2000 });
  await assert.rejects(nobody.embed(['x']), EmbeddingError);
});
