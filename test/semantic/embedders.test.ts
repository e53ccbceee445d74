import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../cli-helper.js';

/**
 * A recorded trace with text and no intents: two leads each ask about their home's value three
 * times in other words, and once about something else. Every request has its own key, so every
 * L3 hit is a similarity hit.
 */
const QUESTIONS = [
  ['a', 'what is my home worth', 'worth'],
  ['a', "what's my home worth today?", 'worth'],
  ['b', 'what is my house worth', 'worth'],
  ['a', 'how much is my home worth now', 'worth'],
  ['b', 'how much is my house worth now?', 'worth'],
  ['a', 'when can we schedule a showing', 'showing'],
  ['b', 'what is my house worth today', 'worth'],
] as const;

let dir: string;
let trace: string;
let server: Server;
let base = '';
const seen: { input: string[]; auth?: string }[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmcache-embedders-'));
  trace = join(dir, 'texts.jsonl');
  const lines = [{ type: 'header', schema: 'llmcache/trace@1' }];
  QUESTIONS.forEach(([contact, text], i) =>
    lines.push({ type: 'request', t: 1000 * (i + 1), op: 'response', contact, key: `k${i}`, tokensIn: 3000, tokensOut: 0, text } as never),
  );
  writeFileSync(trace, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  // Stub endpoint (127.0.0.1 only): one direction per topic word, so paraphrases coincide.
  server = createServer(async (req, res) => {
    let s = '';
    for await (const chunk of req) s += chunk;
    const body = JSON.parse(s) as { input: string[] };
    seen.push({ input: body.input, auth: req.headers.authorization });
    const data = body.input.map((t, index) => ({ index, embedding: t.includes('worth') ? [1, 0, 0, 0.01 * t.length] : [0, 1, 0, 0] }));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...extra: string[]) => runCli(['simulate', '--scenario', 'scenarios/semantic.yaml', '--trace', trace, '--json', ...extra]);

test('--embed-url: trace texts embedded by an OpenAI-compatible endpoint; similarity hits earned, calls counted and priced, key never printed', async () => {
  seen.length = 0;
  process.env.OPENAI_API_KEY = 'sk-test-secret-123';
  try {
    const r = await run('--embed-url', `${base}/v1/embeddings`, '--embed-model', 'stub-embed');
    assert.equal(r.code, 0, r.err);
    assert.ok(!r.out.includes('sk-test-secret') && !r.err.includes('sk-test-secret'));
    assert.equal(seen.length, 1, 'one batch for the distinct texts');
    assert.equal(seen[0]!.input.length, QUESTIONS.length);
    assert.equal(seen[0]!.auth, 'Bearer sk-test-secret-123');
    assert.match(r.err, /embedded 7 distinct texts .* model stub-embed, 4 dimensions/);
    const j = JSON.parse(r.out);
    // Contact-scoped: a's 2nd and 4th, b's 2nd and 3rd "worth" questions hit; the showing question misses.
    assert.equal(j.semantic.hits, 4);
    assert.equal(j.semantic.leaks, 0);
    assert.equal(j.semantic.embeddingCalls, QUESTIONS.length);
    assert.ok(j.cost.assumptions.some((x: string) => x.startsWith(`${QUESTIONS.length} embedding calls in the window at $`)), j.cost.assumptions.join('; '));
    assert.equal(j.llmCalls, QUESTIONS.length - 4);
  } finally {
    delete process.env.OPENAI_API_KEY;
  }
});

test('--embedder text uses the built-in hashed n-grams; synthetic ignores the text (no intents: no vectors); bad combinations exit 2', async () => {
  const text = JSON.parse((await run('--embedder', 'text')).out);
  assert.equal(text.semantic.embeddingCalls, QUESTIONS.length);
  const synthetic = JSON.parse((await run('--embedder', 'synthetic')).out);
  assert.equal(synthetic.semantic.embeddingCalls, 0);
  assert.equal(synthetic.semantic.hits, 0);
  assert.equal((await run('--embedder', 'url')).code, 2);
  assert.equal((await run('--embedder', 'nope')).code, 2);
  const down = await run('--embed-url', 'http://user:pw@127.0.0.1:9/v1/embeddings');
  assert.equal(down.code, 2);
  assert.ok(!down.err.includes(':pw@'), down.err);
});
