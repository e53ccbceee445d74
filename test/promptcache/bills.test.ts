/**
 * The three bills on a three-request trace whose prompt overlaps can be counted on paper.
 * Prices (USD per 1M tokens): input 10, cache read 1, 5-minute write 12.5, output 50.
 * Blocks of 512 tokens; every prompt is 8 blocks = 4,096 tokens and 100 output tokens.
 *   r1 t=0    key k1  blocks 1–8
 *   r2 t=1 s  key k1  blocks 1–8   (the application tier L1 serves it in the stack)
 *   r3 t=2 s  key k2  blocks 1–4, 9–12 (shares 4 blocks = 2,048 tokens with r1)
 * The trace spans one day (a final message at 24 h), so a month is × 30.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeScenario } from '../../src/config.js';
import { simulate } from '../../src/sim/engine.js';
import { traceEventsSource } from '../../src/trace/intern.js';
import type { TraceEvent } from '../../src/trace/types.js';

const scenario = (promptCache: object = {}) =>
  normalizeScenario({
    ops: { llm: { key: '{key}', kind: 'llm', tokensIn: 0, tokensOut: 0, model: 'm', dependsOn: 'none', llmLatency: { constant: 1000 } } },
    models: { m: { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 1, cacheWrite5mPerMTok: 12.5, cacheWrite1hPerMTok: 20 } },
    tiers: [{ name: 'L1', kind: 'memory', scope: 'shared', ttl: { llm: 3600 } }],
    workers: { count: 1 },
    promptCache: { minTokens: 1024, ...promptCache },
  });

const blocks = (...ids: number[]) => ({ blocks: ids });
const events = (): TraceEvent[] => [
  { type: 'request', t: 0, op: 'llm', key: 'k1', tokensIn: 4096, tokensOut: 100, prefix: blocks(1, 2, 3, 4, 5, 6, 7, 8) },
  { type: 'request', t: 1000, op: 'llm', key: 'k1', tokensIn: 4096, tokensOut: 100, prefix: blocks(1, 2, 3, 4, 5, 6, 7, 8) },
  { type: 'request', t: 2000, op: 'llm', key: 'k2', tokensIn: 4096, tokensOut: 100, prefix: blocks(1, 2, 3, 4, 9, 10, 11, 12) },
  { type: 'message', t: 86_400_000, contact: 'c', seq: 1 },
];

function run(promptCache: object = {}) {
  const s = scenario(promptCache);
  return simulate(s, { source: traceEventsSource(events(), { ops: Object.keys(s.ops) }) });
}

test('three bills, split by part: no caching; prompt caching only; the tiers + prompt caching', () => {
  const r = run();
  const b = r.cost.bills!;
  // No caching: 3 × 4,096 input × $10 + 3 × 100 output × $50, per day, × 30.
  assert.deepEqual(b.noCache.byPart, { inputUncached: 3.69, cacheWrite: 0, cacheRead: 0, output: 0.45 });
  // Prompt cache only: r1 writes 4,096; r2 reads 4,096; r3 reads 2,048 and writes 2,048.
  //   writes 6,144 × $12.5 = $0.0768, reads 6,144 × $1 = $0.006144 (× 30: 2.30, 0.18).
  assert.deepEqual(b.promptCacheOnly.byPart, { inputUncached: 0, cacheWrite: 2.3, cacheRead: 0.18, output: 0.45 });
  // Stack: L1 serves r2; r1 and r3 reach the model: writes 6,144, reads 2,048, 2 outputs.
  assert.deepEqual(b.stack.byPart, { inputUncached: 0, cacheWrite: 2.3, cacheRead: 0.06, output: 0.3 });
  assert.equal(b.stack.monthlyUsd, 2.66);
  assert.deepEqual(Object.keys(b.stack.byOp), ['llm']);
  assert.equal(b.stack.byOp.llm!.m!.monthlyUsd, 2.66);
  assert.deepEqual(r.promptCache, { requests: 2, inputTokens: 8192, cachedTokens: 2048, writtenTokens: 6144, tokenHitRate: 0.25, blocks: 16, cachedBlocks: 4, blockHitRate: 0.25 });
  assert.equal(r.llmCalls, 2);
});

test('the 1-hour option prices writes at the 1-hour price; off pays every input token; the minimum prefix counts', () => {
  assert.equal(run({ ttl: '1h' }).cost.bills!.stack.byPart.cacheWrite, 3.69); // 6,144 × $20 × 30
  const off = run({ ttl: 'off' });
  assert.equal(off.promptCache, undefined);
  assert.deepEqual(off.cost.bills!.promptCacheOnly.byPart, off.cost.bills!.noCache.byPart);
  // A 2,049-token minimum: r3's 2,048-token hit no longer counts; it writes all 4,096.
  const strict = run({ minTokens: 2049 }).promptCache!;
  assert.equal(strict.cachedTokens, 0);
  assert.equal(strict.writtenTokens, 8192);
});

test('prefill time per uncached input token: a prompt-cache hit shortens the LLM call', () => {
  // r1: 4,096 uncached × 0.1 ms = 409.6 ms extra; r3: 2,048 uncached = 204.8 ms extra.
  const r = run({ prefillMsPerToken: 0.1 });
  const base = run();
  assert.ok(Math.abs(r.latencyMs.max - base.latencyMs.max - 409.6) < 2, `${r.latencyMs.max} vs ${base.latencyMs.max}`);
  assert.ok(Math.abs(r.latencyMs.mean * 3 - base.latencyMs.mean * 3 - (409.6 + 204.8)) < 3, `${r.latencyMs.mean} vs ${base.latencyMs.mean}`);
});

test('a call is served its own prefix when other requests came in between (bench lanes at concurrency > 1)', async () => {
  const { ModelStage } = await import('../../src/cache/walk.js');
  const { newPrefixBlocks } = await import('../../src/promptcache/bills.js');
  const { EVENT_REQUEST, PREFIX_SEGMENTS, newSimEvent } = await import('../../src/trace/types.js');
  const request = (t: number, segment: number) => {
    const e = newSimEvent();
    Object.assign(e, { kind: EVENT_REQUEST, t, op: 0, key: segment, tokensIn: 4096, tokensOut: 100, prefixKind: PREFIX_SEGMENTS, prefixIds: [segment], prefixTokens: [4096], prefixRoles: [0], prefixLen: 1 });
    return e;
  };
  const a = request(0, 1);
  const b = request(1, 2);
  for (const lanes of [false, true]) {
    const stage = new ModelStage(scenario(), ['llm']);
    const [memoA, memoB] = lanes ? [newPrefixBlocks(), newPrefixBlocks()] : [undefined, undefined];
    // A and B are both in flight; A reaches the model first, then A again once B has been asked.
    stage.request(a, true, memoA);
    stage.request(b, true, memoB);
    stage.call(a, true, memoA);
    stage.request(a, true, memoA);
    stage.call(a, true, memoA);
    // The first call wrote A's 8 blocks; the second reads all of them (B's blocks would miss).
    const pc = stage.finish(1).promptCache!;
    assert.equal(pc.requests, 2, `lanes ${lanes}`);
    assert.equal(pc.cachedTokens, 4096, `lanes ${lanes}`);
    assert.equal(pc.writtenTokens, 4096, `lanes ${lanes}`);
  }
});

test('a request naming its op\'s model and one naming no model count in the one bucket of that op and model', () => {
  // r1 names model m (the trace's), r2 and r3 name none (the op's, also m): one bucket, all three requests.
  const s = scenario({ ttl: 'off' });
  const named = events().map((e, i) => (i === 0 && e.type === 'request' ? { ...e, model: 'm' } : e));
  const r = simulate(s, { source: traceEventsSource(named, { ops: Object.keys(s.ops) }) });
  assert.deepEqual(r.cost.bills!.noCache.byOp.llm!.m!.byPart, { inputUncached: 3.69, cacheWrite: 0, cacheRead: 0, output: 0.45 });
});

test('every request counts while the bill buckets grow: 20 ops, 60 buckets (the sums start with room for 16)', () => {
  const ops = Array.from({ length: 20 }, (_, i) => `op${i}`);
  const s = normalizeScenario({
    ops: Object.fromEntries(ops.map((op) => [op, { key: '{key}', kind: 'llm', tokensIn: 0, tokensOut: 0, model: 'm', dependsOn: 'none', llmLatency: { constant: 1000 } }])),
    models: { m: { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 1, cacheWrite5mPerMTok: 12.5 } },
    tiers: [{ name: 'L1', kind: 'memory', scope: 'shared', ttl: { op0: 3600 } }],
    workers: { count: 1 },
    promptCache: { minTokens: 1024 },
  });
  const trace: TraceEvent[] = [
    ...ops.map((op, i): TraceEvent => ({ type: 'request', t: i * 1000, op, key: `k${i}`, tokensIn: 4096, tokensOut: 100 })),
    { type: 'message', t: 86_400_000, contact: 'c', seq: 1 },
  ];
  const b = simulate(s, { source: traceEventsSource(trace, { ops }) }).cost.bills!;
  // Each bill: 20 requests × 100 output tokens × $50 per 1M, × 30 days; no prefix, so the input is paid in full.
  for (const bill of [b.noCache, b.promptCacheOnly, b.stack]) {
    assert.equal(bill.byPart.output, 3);
    assert.equal(bill.byPart.inputUncached, 24.58); // 20 × 4,096 × $10 per 1M × 30
    assert.equal(Object.keys(bill.byOp).length, 20);
  }
});

test('prompt cache off: simulate gives the model stage only the requests it sees, and its bills are those of a stage given every request', async () => {
  const { ModelStage } = await import('../../src/cache/walk.js');
  const { EVENT_REQUEST, newSimEvent } = await import('../../src/trace/types.js');
  // No tier caches the op: every request is also a call. Plain requests (no model, no prefix) are
  // left to the ledger; one names the op's model (the same bucket), one another model, one a prefix.
  const s = normalizeScenario({
    ...scenario({ ttl: 'off' }),
    models: { ...scenario().models, big: { inputPerMTok: 30, outputPerMTok: 150, cachedInputPerMTok: 3 } },
    tiers: [{ name: 'L1', kind: 'memory', scope: 'shared', ttl: {} }],
  });
  const trace: TraceEvent[] = [
    { type: 'request', t: 0, op: 'llm', key: 'k1', tokensIn: 4096, tokensOut: 100 },
    { type: 'request', t: 1000, op: 'llm', key: 'k2', tokensIn: 1000, tokensOut: 7, model: 'm' },
    { type: 'request', t: 2000, op: 'llm', key: 'k3', tokensIn: 2000, tokensOut: 30, model: 'big' },
    { type: 'request', t: 3000, op: 'llm', key: 'k4', tokensIn: 333, tokensOut: 5, prefix: blocks(1, 2) },
    { type: 'request', t: 4000, op: 'llm', key: 'k5', tokensIn: 12345, tokensOut: 67 },
    { type: 'message', t: 86_400_000, contact: 'c', seq: 1 },
  ];
  const ops = Object.keys(s.ops);
  const r = simulate(s, { source: traceEventsSource(trace, { ops }) });
  const source = traceEventsSource(trace, { ops });
  const stage = new ModelStage(s, ops, { modelName: source.modelName?.bind(source) });
  const ev = newSimEvent();
  let seen = 0;
  while (source.next(ev)) {
    if (ev.kind !== EVENT_REQUEST) continue;
    if (stage.sees(ev)) seen++;
    stage.request(ev);
    stage.call(ev);
  }
  assert.equal(seen, 3, 'the two plain requests are not seen');
  assert.deepEqual(r.cost.bills, stage.finish(1).bills);
  // And the bills are the prices times the token sums: noCache input (4,096 + 1,000 + 333 + 12,345) × $10 + 2,000 × $30, × 30 days.
  assert.equal(r.cost.bills!.noCache.byPart.inputUncached, Math.round(((17774 * 10 + 2000 * 30) / 1e6) * 30 * 100) / 100);
  assert.deepEqual(Object.keys(r.cost.bills!.stack.byOp.llm!), ['m', 'big']);
});
