/**
 * `trace stats`: the article's instrumentation done on any trace (pure: reads an EventSource to
 * its end and returns numbers; no I/O, no clock).
 *
 * Definitions (docs/trace-format.md):
 * - a *memory read* is a request with a `depth`; every other request is an *LLM request*;
 * - `accessDepth`: fractions of memory reads per depth (recent10 / recent100 / full);
 * - reuse distance: for an LLM request whose key was requested before, the number of LLM requests
 *   since that previous request (1 = back to back), bucketed by powers of two;
 * - inter-arrival: ms between consecutive requests (all kinds); message gap: ms between two
 *   messages of the same contact; both also bucketed on round bounds (GAP_BOUNDS_MS);
 * - popularity: requests per LLM key; Zipf exponent s by least squares of log(count) on log(rank),
 *   sampled at log-spaced ranks so the long tail of count-1 keys does not drown the head;
 * - repeated-call rate: fraction of LLM requests whose key was requested before (key-less
 *   requests, as in Azure or BurstGPT traffic, are counted apart and never repeat);
 * - tokens: input and output tokens of LLM requests; prefix: LLM requests that describe their
 *   prompt prefix (block ids or segments, for the provider prompt cache).
 */
import { FastRecorder, newHistogram, percentilesOf, recordUs } from '../histogram.js';
import { TRACE_STATS_SCHEMA, type TimeBucket, type TraceStats, type ZipfFit } from '../model/results.js';
import { EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE, MEMORY_DEPTHS, newSimEvent, PREFIX_BLOCKS, PREFIX_NONE, type EventSource, type MemoryDepth } from './types.js';

/** What the stats need from a source besides its events. */
export interface StatsSource extends EventSource {
  readonly opNames: readonly string[];
  /** Key string for a key id (top keys are listed only when given). */
  keyName?(id: number): string;
  readonly skipped?: number;
}

/** Read `source` to its end and compute the statistics. */
export function computeTraceStats(source: StatsSource, opts: { topKeys?: number } = {}): TraceStats {
  const ev = newSimEvent();
  const dense = new Map<number, number>(); // key id → local index (source ids may be sparse)
  let lastSeen = new Float64Array(1024); // LLM request index of the previous request per key
  let counts = new Float64Array(1024);
  let keyIds = new Float64Array(1024);
  let lastMsg = new Float64Array(1024).fill(-1);
  const depthCounts = [0, 0, 0];
  const opCounts: number[] = [];
  const reuseBuckets: number[] = [];
  const reuse = new FastRecorder();
  // Gaps span µs to days: recorded straight into auto-resizing histograms (µs).
  const gaps = newHistogram();
  const msgGaps = newHistogram();
  const gapBuckets: number[] = [];
  const msgGapBuckets: number[] = [];
  let events = 0, messages = 0, requests = 0, llm = 0, states = 0, repeats = 0, streams = 0, tools = 0;
  let prevRequestT = -1;
  let contacts = 0;
  let lastT = 0;
  let keyless = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let prefixRequests = 0;
  let prefixBlocks = 0;
  let prefixSegments = 0;

  while (source.next(ev)) {
    events++;
    lastT = ev.t;
    if (ev.contact >= contacts) contacts = ev.contact + 1; // -1: no contact
    if (ev.kind === EVENT_MESSAGE) {
      messages++;
      if (ev.contact >= lastMsg.length) lastMsg = grow(lastMsg, ev.contact, -1);
      if (lastMsg[ev.contact]! >= 0) {
        recordUs(msgGaps, (ev.t - lastMsg[ev.contact]!) * 1000);
        countGap(msgGapBuckets, ev.t - lastMsg[ev.contact]!);
      }
      lastMsg[ev.contact] = ev.t;
      continue;
    }
    if (ev.kind === EVENT_STATE) {
      states++;
      continue;
    }
    if (ev.kind !== EVENT_REQUEST) continue;
    requests++;
    opCounts[ev.op] = (opCounts[ev.op] ?? 0) + 1;
    if (prevRequestT >= 0) {
      recordUs(gaps, (ev.t - prevRequestT) * 1000);
      countGap(gapBuckets, ev.t - prevRequestT);
    }
    prevRequestT = ev.t;
    if (ev.depth >= 0) {
      depthCounts[ev.depth]!++;
      continue;
    }
    llm++;
    tokensIn += ev.tokensIn;
    tokensOut += ev.tokensOut;
    if (ev.prefixKind !== PREFIX_NONE) {
      prefixRequests++;
      if (ev.prefixKind === PREFIX_BLOCKS) prefixBlocks += ev.prefixLen;
      else prefixSegments += ev.prefixLen;
    }
    if (ev.stream) streams++;
    else if (ev.toolUse) tools++;
    if (ev.key < 0) {
      keyless++;
      continue;
    }
    let k = dense.get(ev.key);
    if (k === undefined) {
      k = dense.size;
      dense.set(ev.key, k);
      if (k >= counts.length) {
        counts = grow(counts, k, 0);
        lastSeen = grow(lastSeen, k, 0);
        keyIds = grow(keyIds, k, 0);
      }
      keyIds[k] = ev.key;
    } else {
      repeats++;
      const d = llm - lastSeen[k]!;
      reuse.record(d);
      const b = 31 - Math.clz32(d);
      reuseBuckets[b] = (reuseBuckets[b] ?? 0) + 1;
    }
    counts[k]!++;
    lastSeen[k] = llm;
  }

  const memoryReads = depthCounts[0]! + depthCounts[1]! + depthCounts[2]!;
  const keys = dense.size;
  const reuseHist = reuse.toHistogram();
  const frac = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    schema: TRACE_STATS_SCHEMA,
    kind: 'trace-stats',
    events,
    messages,
    requests,
    llmRequests: llm,
    memoryReads,
    stateChanges: states,
    contacts: Math.max(contacts, source.contacts),
    keys,
    spanMs: Math.max(lastT, source.spanMs()),
    skipped: source.skipped ?? 0,
    accessDepth: byDepth((i) => frac(depthCounts[i]!, memoryReads)),
    accessDepthCounts: byDepth((i) => depthCounts[i]!),
    reuseDistance: {
      reuses: repeats,
      firstRequests: keys,
      p50: percentile(reuseHist, 50),
      p95: percentile(reuseHist, 95),
      p99: percentile(reuseHist, 99),
      buckets: Array.from(reuseBuckets.entries(), ([b, n = 0]) => ({ from: 2 ** b, to: 2 ** (b + 1) - 1, count: n, fraction: frac(n, repeats) })),
    },
    interArrivalMs: percentilesOf(gaps, 1000),
    interArrivalBuckets: timeBuckets(gapBuckets),
    messageGapMs: percentilesOf(msgGaps, 1000),
    messageGapBuckets: timeBuckets(msgGapBuckets),
    popularity: popularity(counts.subarray(0, keys), keyIds, llm, source, opts.topKeys ?? 10),
    opMix: opCounts.flatMap((n, op) => (n ? [{ op: source.opNames[op] ?? `op${op}`, requests: n, fraction: frac(n, requests) }] : [])),
    repeatedCallRate: frac(repeats, llm),
    keylessRequests: keyless,
    tokens: { in: tokensIn, out: tokensOut },
    promptPrefix: { requests: prefixRequests, blocks: prefixBlocks, segments: prefixSegments },
    streamingFraction: frac(streams, llm),
    toolUseFraction: frac(tools, llm),
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Upper bounds (ms) of the gap buckets, round in the unit a person reads them in: 1-2-5 in ms,
 * seconds and minutes up to the next unit (20 s -> 30 s -> 1 min, since 50 s would sit a
 * breath below the minute), 1-2-3-6-12 h, then 1-2-5 in days up to a billion days (past any
 * timestamp a trace holds; a larger gap counts in the last bucket). Bucket 0 is [0, 1 ms); bucket
 * i >= 1 is [GAP_BOUNDS_MS[i - 1], GAP_BOUNDS_MS[i]).
 */
export const GAP_BOUNDS_MS: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  ...[1, 2, 5, 10, 20, 30].map((n) => n * SECOND),
  ...[1, 2, 5, 10, 20, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12].map((n) => n * HOUR),
  ...Array.from({ length: 28 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3) * DAY),
];

/** Count a gap (ms) into the bucket of GAP_BOUNDS_MS that holds it (binary search: the first bound above it). */
function countGap(buckets: number[], ms: number): void {
  let lo = 0;
  let hi = GAP_BOUNDS_MS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (GAP_BOUNDS_MS[mid]! > ms) hi = mid;
    else lo = mid + 1;
  }
  buckets[lo] = (buckets[lo] ?? 0) + 1;
}

/** The non-empty buckets counted by `countGap`, with their share of all gaps. */
function timeBuckets(buckets: number[]): TimeBucket[] {
  const total = buckets.reduce((a, n = 0) => a + n, 0);
  return Array.from(buckets.entries(), ([b, n = 0]) => ({ fromMs: b === 0 ? 0 : GAP_BOUNDS_MS[b - 1]!, toMs: GAP_BOUNDS_MS[b]!, count: n, fraction: total > 0 ? n / total : 0 })).filter((x) => x.count > 0);
}

function byDepth(f: (i: number) => number): Record<MemoryDepth, number> {
  return Object.fromEntries(MEMORY_DEPTHS.map((d, i) => [d, f(i)])) as Record<MemoryDepth, number>;
}

function grow(a: Float64Array<ArrayBuffer>, index: number, fill: number): Float64Array<ArrayBuffer> {
  let n = a.length;
  while (n <= index) n *= 2;
  const b = new Float64Array(n).fill(fill);
  b.set(a);
  return b;
}

function percentile(h: ReturnType<typeof newHistogram>, p: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p);
}

function popularity(counts: Float64Array, keyIds: Float64Array, total: number, source: StatsSource, top: number): TraceStats['popularity'] {
  const order = Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const sorted = Float64Array.from(order, (i) => counts[i]!);
  const name = source.keyName?.bind(source);
  return {
    top: name ? order.slice(0, top).map((i) => ({ key: name(keyIds[i]!), requests: counts[i]!, share: total > 0 ? counts[i]! / total : 0 })) : [],
    zipf: fitZipf(sorted),
  };
}

/**
 * Least-squares fit of log(count) = c - s·log(rank) over counts sorted in decreasing order,
 * at ranks 1, 2, 3, … growing by at least 5 % a step (log-spaced). Null with < 3 ranks.
 */
export function fitZipf(sortedCounts: ArrayLike<number>): ZipfFit | null {
  const n = sortedCounts.length;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 1; r <= n; r = Math.max(r + 1, Math.floor(r * 1.05))) {
    const c = sortedCounts[r - 1]!;
    if (c <= 0) break;
    xs.push(Math.log(r));
    ys.push(Math.log(c));
  }
  const m = xs.length;
  if (m < 3) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / m;
  const my = ys.reduce((a, b) => a + b, 0) / m;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < m; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent: -slope, r2, points: m };
}
