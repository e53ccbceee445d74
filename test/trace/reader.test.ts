import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../src/errors.js';
import { openTraceSource } from '../../src/trace/reader.js';
import { EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE } from '../../src/trace/types.js';
import { drain, HEADER, req, tmpPath, traceFile } from './helpers.js';

async function rejects(file: string, re: RegExp, opts = {}): Promise<void> {
  const src = await openTraceSource(file, opts).catch((e: unknown) => e);
  if (src instanceof Error) {
    assert.ok(src instanceof InputError, String(src));
    assert.match(src.message, re);
    return;
  }
  assert.throws(() => drain(src as Parameters<typeof drain>[0]), (e: unknown) => e instanceof InputError && re.test(e.message));
}

const sample = [
  HEADER,
  { type: 'message', t: 0, contact: 'alice', text: 'hi' },
  req(0, { op: 'memory', contact: 'alice', key: 'memory:alice', depth: 'recent100' }),
  req(0, { contact: 'alice', key: 'score:alice:1', entity: 'contact:alice', version: 0, intent: 4, paraphrase: 9 }),
  { type: 'state', t: 10, entity: 'contact:alice', version: 1, contact: 'alice' },
  { type: 'message', t: 20, contact: 'bob', tenant: 'acme', seq: 7 },
  req(20, { op: 'response', contact: 'bob', tenant: 'acme', key: 'response:bob:1', stream: true, tokensIn: 3000, tokensOut: 200 }),
  req(20, { op: 'response', contact: 'bob', tenant: 'acme', key: 'response:bob:1', toolUse: true }),
  { type: 'message', t: 30, contact: 'alice' },
  req(30, { op: 'memory', contact: 'alice', key: 'memory:alice', depth: 'full' }),
  { type: 'state', t: 40, entity: 'market:94110', version: 3 },
];

test('reads every field into the numeric event, interning strings to dense ids', async () => {
  const src = await openTraceSource(traceFile('sample.jsonl', sample));
  const ev = drain(src);
  assert.equal(ev.length, 10);
  assert.deepEqual(src.opNames, HEADER.ops);
  assert.deepEqual(
    ev.map((e) => e.kind),
    [EVENT_MESSAGE, EVENT_REQUEST, EVENT_REQUEST, EVENT_STATE, EVENT_MESSAGE, EVENT_REQUEST, EVENT_REQUEST, EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE],
  );
  const [m0, mem, score, st, m1, resp, tool, m2, mem2, market] = ev;
  assert.deepEqual([m0!.contact, m0!.seq, m0!.tenant], [0, 1, 0]);
  // A memory read without an entity defaults its version to the conversation length.
  assert.deepEqual([mem!.op, mem!.depth, mem!.key, mem!.entity, mem!.version], [0, 1, 0, -1, 1]);
  assert.deepEqual([score!.op, score!.key, score!.entity, score!.version, score!.intent, score!.paraphrase, score!.tokensIn, score!.tokensOut], [1, 1, 0, 0, 4, 9, 100, 5]);
  assert.deepEqual([st!.t, st!.entity, st!.version, st!.contact], [10, 0, 1, 0]);
  assert.deepEqual([m1!.contact, m1!.seq, m1!.tenant], [1, 7, 1]);
  assert.deepEqual([resp!.op, resp!.stream, resp!.toolUse, resp!.key, resp!.tenant, resp!.depth, resp!.intent], [4, true, false, 2, 1, -1, -1]);
  assert.deepEqual([tool!.stream, tool!.toolUse, tool!.key], [false, true, 2]);
  assert.equal(m2!.seq, 2);
  assert.deepEqual([mem2!.depth, mem2!.version], [2, 2]);
  assert.deepEqual([market!.entity, market!.contact, market!.version], [1, -1, 3]);
  assert.equal(src.keyName(2), 'response:bob:1');
  assert.equal(src.contactName(1), 'bob');
  assert.equal(src.entityName(1), 'market:94110');
  assert.equal(src.tenantName(1), 'acme');
  assert.equal(src.contacts, 2);
  assert.equal(src.entities, 2);
  assert.equal(src.spanMs(), 40);
  assert.equal(src.skipped, 0);
});

test('gzip is read by extension and by magic bytes, CRLF and blank lines are fine', async () => {
  const plain = drain(await openTraceSource(traceFile('s.jsonl', sample)));
  assert.deepEqual(drain(await openTraceSource(traceFile('s.jsonl.gz', sample, { gzip: true }))), plain);
  assert.deepEqual(drain(await openTraceSource(traceFile('s-no-ext.trace', sample, { gzip: true }))), plain);
  assert.deepEqual(drain(await openTraceSource(traceFile('crlf.jsonl', sample, { eol: '\r\n' }))), plain);
  const withBlanks = traceFile('blank.jsonl', [sample[0]!, '', ...sample.slice(1, 4), '   ', ...sample.slice(4)]);
  assert.deepEqual(drain(await openTraceSource(withBlanks)), plain);
  // The last line may lack its newline.
  const p = tmpPath('nonl.jsonl');
  writeFileSync(p, sample.map((l) => JSON.stringify(l)).join('\n'));
  assert.deepEqual(drain(await openTraceSource(p)), plain);
});

test('lines split across read chunks and gzip slots are reassembled exactly', async () => {
  // ~6 MB: several 1 MiB reads and many 512 KiB gzip slots, with lines of varied length.
  const lines: object[] = [HEADER];
  for (let i = 0; i < 40_000; i++) lines.push(req(i, { key: `score:c${i % 97}:${'x'.repeat(i % 113)}${i % 501}`, contact: `c${i % 97}` }));
  const a = drain(await openTraceSource(traceFile('big.jsonl', lines)));
  const b = drain(await openTraceSource(traceFile('big.jsonl.gz', lines, { gzip: true })));
  assert.equal(a.length, 40_000);
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.slice(0, 3).map((e) => e.t),
    [0, 1, 2],
  );
  const src = await openTraceSource(traceFile('big2.jsonl', lines));
  drain(src);
  assert.equal(src.keyName(500), (lines[501] as { key: string }).key); // keys 0..500 are all distinct
});

test('a malformed line stops the read with file, line and field', async () => {
  const f = traceFile('bad.jsonl', [HEADER, req(0), req(1, { tokensIn: 'many' }), req(2)]);
  await rejects(f, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: field "tokensIn": expected an integer >= 0, got "many"$`));
  await rejects(traceFile('bad2.jsonl', [HEADER, req(0), '{"type":"request"', req(2)]), /bad2\.jsonl:3: invalid JSON/);
  await rejects(traceFile('bad3.jsonl', [req(0, { depth: 'deep' })]), /bad3\.jsonl:1: field "depth"/);
  await rejects(traceFile('bad4.jsonl', [HEADER, req(0), HEADER]), /bad4\.jsonl:3: field "type": a header is only allowed on the first line/);
});

test('time going backwards is an error naming the line', async () => {
  await rejects(traceFile('back.jsonl', [HEADER, req(100), req(100), req(99)]), /back\.jsonl:4: field "t": expected >= 100 .*got 99/);
});

test('ops: the scenario table (error on an unknown op) or extended on the fly', async () => {
  const f = traceFile('ops.jsonl', [req(0, { op: 'score' }), req(1, { op: 'summarize' })]);
  await rejects(f, /ops\.jsonl:2: field "op": expected one of the scenario's ops \(memory, score\), got "summarize"/, { ops: ['memory', 'score'] });
  const src = await openTraceSource(f, { ops: ['memory', 'score'], unknownOps: 'extend' });
  assert.deepEqual(
    drain(src).map((e) => e.op),
    [1, 2],
  );
  assert.deepEqual(src.opNames, ['memory', 'score', 'summarize']);
  // No table and no header: ops are numbered as they appear.
  const free = await openTraceSource(f);
  drain(free);
  assert.deepEqual(free.opNames, ['score', 'summarize']);
});

test('--skip-invalid skips and counts every kind of bad line, reporting each', async () => {
  const f = traceFile('mixed.jsonl', [
    HEADER,
    req(0),
    'not json',
    req(1, { tokensOut: -3 }),
    req(5),
    req(4),
    req(6, { op: 'nope' }),
    'x'.repeat(300),
    req(7),
    HEADER,
  ]);
  const skipped: string[] = [];
  const src = await openTraceSource(f, { skipInvalid: true, maxLineBytes: 200, ops: HEADER.ops, onSkip: (m) => skipped.push(m) });
  const ev = drain(src);
  assert.deepEqual(
    ev.map((e) => e.t),
    [0, 5, 7],
  );
  assert.equal(src.skipped, 6);
  assert.equal(src.lines, 10);
  assert.deepEqual(
    skipped.map((m) => m.replace(/^.*mixed\.jsonl:/, '').split(':')[0]),
    ['3', '4', '6', '7', '8', '10'],
  );
  assert.match(skipped[4]!, /line longer than 200 bytes/);
});

test('an oversized line is an error without buffering it, even with no newline at all', async () => {
  const p = tmpPath('huge.jsonl');
  writeFileSync(p, JSON.stringify(HEADER) + '\n' + 'x'.repeat(3 << 20));
  await rejects(p, /huge\.jsonl:2: line longer than 65536 bytes/, { maxLineBytes: 65536 });
  const src = await openTraceSource(p, { maxLineBytes: 65536, skipInvalid: true });
  assert.equal(drain(src).length, 0);
  assert.equal(src.skipped, 1);
});

test('a missing file, a corrupt or truncated gzip are clean InputErrors', async () => {
  await rejects(tmpPath('does-not-exist.jsonl'), /does-not-exist\.jsonl: cannot read/);
  const gz = gzipSync(sample.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const trunc = tmpPath('trunc.jsonl.gz');
  writeFileSync(trunc, gz.subarray(0, gz.length - 12));
  await rejects(trunc, /trunc\.jsonl\.gz: gzip: unexpected end of file/);
  const corrupt = tmpPath('corrupt.jsonl.gz');
  writeFileSync(corrupt, Buffer.concat([gz.subarray(0, 10), Buffer.from('garbage garbage garbage')]));
  await rejects(corrupt, /corrupt\.jsonl\.gz: gzip: /);
});
