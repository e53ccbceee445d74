import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceEventsSource } from '../../src/trace/intern.js';
import { computeTraceStats, fitZipf, GAP_BOUNDS_MS } from '../../src/trace/stats.js';
import type { TraceEvent } from '../../src/trace/types.js';
import { renderResult } from '../../src/report/render.js';

const OPS = ['memory', 'score', 'intent'];
let clock = 0;
const llm = (key: string, over: Partial<TraceEvent> = {}): TraceEvent =>
  ({ type: 'request', t: (clock += 10), op: 'score', contact: 'c1', key, tokensIn: 1, tokensOut: 1, ...over }) as TraceEvent;
const mem = (depth: 'recent10' | 'recent100' | 'full'): TraceEvent =>
  ({ type: 'request', t: (clock += 10), op: 'memory', contact: 'c1', key: 'memory:c1', tokensIn: 1, tokensOut: 0, depth }) as TraceEvent;

function handMade(): TraceEvent[] {
  clock = 0;
  return [
    { type: 'message', t: 0, contact: 'c1', seq: 1 },
    mem('recent10'),
    llm('A'),
    mem('recent10'),
    llm('B', { op: 'intent' }),
    mem('recent100'),
    llm('A'), // reuse, distance 2
    { type: 'message', t: 1000, contact: 'c1', seq: 2 },
    (clock = 1000, mem('recent10')),
    llm('C', { stream: true }),
    mem('full'),
    llm('A'), // reuse, distance 2
    mem('recent10'),
    llm('B', { op: 'intent', toolUse: true }), // reuse, distance 4
    mem('recent100'),
    { type: 'state', t: 3000, entity: 'contact:c1', version: 1 },
    { type: 'message', t: 3000, contact: 'c1', seq: 3 },
    (clock = 3000, mem('recent10')),
    llm('D'),
    mem('recent10'),
    mem('recent100'),
  ];
}

test('every statistic of a hand-made trace, computed by hand', () => {
  const s = computeTraceStats(traceEventsSource(handMade(), { ops: OPS }), { topKeys: 2 });
  assert.equal(s.events, 21);
  assert.equal(s.messages, 3);
  assert.equal(s.stateChanges, 1);
  assert.equal(s.requests, 17);
  assert.equal(s.llmRequests, 7);
  assert.equal(s.memoryReads, 10);
  assert.deepEqual(s.accessDepthCounts, { recent10: 6, recent100: 3, full: 1 });
  assert.deepEqual(s.accessDepth, { recent10: 0.6, recent100: 0.3, full: 0.1 });
  assert.equal(s.keys, 4);
  assert.equal(s.repeatedCallRate, 3 / 7);
  assert.equal(s.streamingFraction, 1 / 7);
  assert.equal(s.toolUseFraction, 1 / 7);
  assert.deepEqual(s.reuseDistance.buckets, [
    { from: 1, to: 1, count: 0, fraction: 0 },
    { from: 2, to: 3, count: 2, fraction: 2 / 3 },
    { from: 4, to: 7, count: 1, fraction: 1 / 3 },
  ]);
  assert.equal(s.reuseDistance.reuses, 3);
  assert.equal(s.reuseDistance.firstRequests, 4);
  assert.equal(s.reuseDistance.p50, 2);
  assert.equal(s.reuseDistance.p99, 4);
  assert.deepEqual(s.opMix, [
    { op: 'memory', requests: 10, fraction: 10 / 17 },
    { op: 'score', requests: 5, fraction: 5 / 17 },
    { op: 'intent', requests: 2, fraction: 2 / 17 },
  ]);
  // Message gaps of c1: 1000 and 2000 ms.
  assert.equal(s.messageGapMs.count, 2);
  assert.ok(Math.abs(s.messageGapMs.p50 - 1000) <= 1, String(s.messageGapMs.p50));
  assert.ok(Math.abs(s.messageGapMs.max - 2000) <= 2, String(s.messageGapMs.max));
  // 16 request gaps: 14 of 10 ms, two jumps of (1000 - 70 + 10) and (3000 - 1070 + 10).
  assert.equal(s.interArrivalMs.count, 16);
  assert.ok(Math.abs(s.interArrivalMs.p50 - 10) < 0.02);
  assert.ok(Math.abs(s.interArrivalMs.max - 1940) <= 2, String(s.interArrivalMs.max));
  // The same gaps on round bounds: [10, 20) ms, [500 ms, 1 s), [1 s, 2 s); messages [1, 2) s and [2, 5) s.
  assert.deepEqual(s.interArrivalBuckets, [
    { fromMs: 10, toMs: 20, count: 14, fraction: 14 / 16 },
    { fromMs: 500, toMs: 1000, count: 1, fraction: 1 / 16 },
    { fromMs: 1000, toMs: 2000, count: 1, fraction: 1 / 16 },
  ]);
  assert.deepEqual(s.messageGapBuckets, [
    { fromMs: 1000, toMs: 2000, count: 1, fraction: 1 / 2 },
    { fromMs: 2000, toMs: 5000, count: 1, fraction: 1 / 2 },
  ]);
  assert.deepEqual(
    s.popularity.top.map((k) => [k.key, k.requests]),
    [
      ['A', 3],
      ['B', 2],
    ],
  );
  assert.equal(s.spanMs, 3040);
});

test('a gap on a bucket bound counts in the bucket it opens; a sub-ms gap in the first; the bounds are round and rising', () => {
  const at = (t: number): TraceEvent => ({ type: 'request', t, op: 'score', contact: 'c1', key: `k${t}`, tokensIn: 1, tokensOut: 1 }) as TraceEvent;
  // Gaps 0.5, 1, 2, 4.5, 30000 and 86,400,000 ms.
  const times = [0, 0.5, 1.5, 3.5, 8, 30_008, 86_430_008];
  const s = computeTraceStats(traceEventsSource(times.map(at), { ops: OPS }));
  assert.deepEqual(
    s.interArrivalBuckets!.map((b) => [b.fromMs, b.toMs, b.count]),
    [
      [0, 1, 1],
      [1, 2, 1],
      [2, 5, 2],
      [30_000, 60_000, 1],
      [86_400_000, 172_800_000, 1],
    ],
  );
  GAP_BOUNDS_MS.forEach((b, i) => assert.ok(i === 0 || b > GAP_BOUNDS_MS[i - 1]!, `bound ${i} (${b} ms) rises`));
});

test('the Zipf fit recovers the exponent of an exact power law, and a flat one is 0', () => {
  for (const sExp of [0.6, 1.0, 1.4]) {
    const counts = Array.from({ length: 20_000 }, (_, i) => 1e7 * (i + 1) ** -sExp);
    const fit = fitZipf(counts)!;
    assert.ok(Math.abs(fit.exponent - sExp) < 1e-9, `${sExp}: ${fit.exponent}`);
    assert.ok(fit.r2 > 0.999999);
    assert.ok(fit.points > 100 && fit.points < 300, String(fit.points)); // log-spaced, not 20,000
  }
  assert.ok(Math.abs(fitZipf(new Array(50).fill(7))!.exponent) < 1e-12);
  assert.equal(fitZipf([5, 3]), null);
});

test('the Zipf fit on a sampled Zipf(1.0) trace is close, with a good R²', () => {
  // Deterministic sampling by inverse CDF over 2,000 keys.
  const n = 2000;
  const cdf: number[] = [];
  let sum = 0;
  for (let r = 1; r <= n; r++) cdf.push((sum += 1 / r));
  const events: TraceEvent[] = [];
  let x = 12345;
  for (let i = 0; i < 200_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const u = (x / 2 ** 32) * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    events.push({ type: 'request', t: i, op: 'score', contact: 'c', key: `k${lo}`, tokensIn: 1, tokensOut: 0 });
  }
  const z = computeTraceStats(traceEventsSource(events)).popularity.zipf!;
  assert.ok(Math.abs(z.exponent - 1) < 0.1, String(z.exponent));
  assert.ok(z.r2 > 0.95, String(z.r2));
});

test('an empty trace gives zeros, not NaN', () => {
  const s = computeTraceStats(traceEventsSource([]));
  assert.equal(s.events, 0);
  assert.deepEqual(s.accessDepth, { recent10: 0, recent100: 0, full: 0 });
  assert.equal(s.repeatedCallRate, 0);
  assert.equal(s.popularity.zipf, null);
  assert.doesNotThrow(() => renderResult({ file: 'empty', ...s }, 'table'));
});

test('the renderer shows the mix, the reuse buckets and the fit, and keeps names on one line', () => {
  const events = handMade().map((e) => (e.type === 'request' && e.key === 'A' ? { ...e, key: 'A\nB <script>' } : e));
  const text = renderResult({ file: 'my trace', ...computeTraceStats(traceEventsSource(events, { ops: OPS }), { topKeys: 3 }) }, 'table');
  assert.match(text, /^llmcache trace stats · my trace\n21 events/);
  assert.match(text, /recent10 .* 6 .* 60\.00%/);
  assert.match(text, /full .* 1 .* 10\.00%/);
  assert.match(text, /2–3 .* 2 .* 66\.7%/);
  assert.match(text, /repeated-call rate 42\.9%/);
  assert.match(text, /A B <script>/);
  assert.doesNotMatch(text, /A\nB/);
});
