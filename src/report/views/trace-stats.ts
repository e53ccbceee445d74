/**
 * The view of `trace stats`: the depth mix of memory reads, the op mix, the reuse-distance and
 * inter-arrival histograms and key popularity. Pure: result -> View.
 */
import { MEMORY_DEPTHS } from '../../config/model.js';
import type { Percentiles, TimeBucket, TraceStatsResult } from '../../model/results.js';
import { fmtDuration, fmtInt, fmtPct } from '../format.js';
import { chart, note, table, type Block, type Section, type View } from '../view.js';

/** Units a bucket bound is written in, largest first (ms). */
const BOUND_UNITS: readonly [unit: string, ms: number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/**
 * A bucket bound written exactly, as a whole number of the largest unit it is a multiple of:
 * 500 -> [500, "ms"], 30000 -> [30, "s"], 21600000 -> [6, "h"], 4096 -> [4,096, "ms"] (never "4.1 s").
 */
function exactBound(ms: number): [value: string, unit: string] {
  for (const [unit, size] of BOUND_UNITS) if (ms >= size && ms % size === 0) return [fmtInt(ms / size), unit];
  return [Number.isInteger(ms) ? fmtInt(ms) : String(ms), 'ms'];
}

/** "< 1 ms", "1–2 ms", "500 ms–1 s", "20–30 s", "12 h–1 d": both bounds exact, the unit once when they share it. */
export function bucketLabel(b: TimeBucket): string {
  const [to, toUnit] = exactBound(b.toMs);
  if (b.fromMs === 0) return `< ${to} ${toUnit}`;
  const [from, fromUnit] = exactBound(b.fromMs);
  return fromUnit === toUnit ? `${from}–${to} ${toUnit}` : `${from} ${fromUnit}–${to} ${toUnit}`;
}

function gapRow(label: string, p: Percentiles): string[] {
  return [label, fmtInt(p.count), ...[p.mean, p.p50, p.p95, p.p99, p.p999, p.max].map(fmtDuration)];
}

/** A histogram of gaps: bars and the same buckets as a table. */
function gapHistogram(id: string, title: string, buckets: TimeBucket[] | undefined): Block[] {
  if (!buckets || buckets.length === 0) return [];
  const max = Math.max(...buckets.map((b) => b.fraction));
  return [
    chart({ type: 'bars', id, title, max, groups: buckets.map((b) => ({ label: bucketLabel(b), bars: [{ value: b.fraction, text: `${fmtPct(b.fraction)} (${fmtInt(b.count)})`, cls: 'hit-rate' }] })) }),
    table([title.replace(/ \(.*/, ''), 'Count', 'Share'], buckets.map((b) => [bucketLabel(b), fmtInt(b.count), fmtPct(b.fraction)])),
  ];
}

export function traceStatsView(s: TraceStatsResult): View {
  const z = s.popularity.zipf;
  const r = s.reuseDistance;
  const reuseMax = Math.max(0, ...r.buckets.map((b) => b.fraction));
  const reuseLabel = (b: { from: number; to: number }) => (b.from === b.to ? fmtInt(b.from) : `${fmtInt(b.from)}–${fmtInt(b.to)}`);
  const sections: Section[] = [
    {
      id: 'depth',
      title: 'Access depth of memory reads',
      blocks: [
        chart({
          type: 'bars',
          id: 'depth-mix',
          title: 'Memory reads by depth (share of memory reads)',
          max: 1,
          groups: MEMORY_DEPTHS.map((d) => ({ label: d, bars: [{ value: s.accessDepth[d] ?? 0, text: `${fmtPct(s.accessDepth[d], 2)} (${fmtInt(s.accessDepthCounts[d])})`, cls: 'share' }] })),
        }),
        table(['Depth', 'Reads', 'Share'], MEMORY_DEPTHS.map((d) => [d, fmtInt(s.accessDepthCounts[d]), fmtPct(s.accessDepth[d], 2)])),
      ],
    },
    {
      id: 'reuse',
      title: 'Reuse distance',
      blocks: [
        ...(r.buckets.length > 0
          ? [
              chart({
                type: 'bars',
                id: 'reuse-distance',
                title: 'Reuse distance: LLM requests since the previous request for the same key (share of reuses)',
                max: reuseMax,
                groups: r.buckets.map((b) => ({ label: reuseLabel(b), bars: [{ value: b.fraction, text: `${fmtPct(b.fraction)} (${fmtInt(b.count)})`, cls: 'hit-rate' }] })),
              }),
            ]
          : []),
        table(['Distance', 'Reuses', 'Share'], r.buckets.map((b) => [reuseLabel(b), fmtInt(b.count), fmtPct(b.fraction)])),
        note(`${fmtInt(r.firstRequests)} first requests (no earlier request for the key), ${fmtInt(r.reuses)} reuses; P50 ${fmtInt(r.p50)}, P95 ${fmtInt(r.p95)}, P99 ${fmtInt(r.p99)}.`),
      ],
    },
    {
      id: 'inter-arrival',
      title: 'Inter-arrival times',
      blocks: [
        ...gapHistogram('inter-arrival', 'Time between consecutive requests (share of gaps)', s.interArrivalBuckets),
        ...gapHistogram('message-gaps', "Time between a contact's messages (share of gaps)", s.messageGapBuckets),
        table(['Between', 'Count', 'Mean', 'P50', 'P95', 'P99', 'P99.9', 'Max'], [gapRow('requests', s.interArrivalMs), gapRow("a contact's messages", s.messageGapMs)]),
      ],
    },
    {
      id: 'ops',
      title: 'Op mix',
      blocks: [
        table(['Op', 'Requests', 'Share'], s.opMix.map((o) => [o.op, fmtInt(o.requests), fmtPct(o.fraction)])),
        note(
          `LLM requests: repeated-call rate ${fmtPct(s.repeatedCallRate)}, streaming ${fmtPct(s.streamingFraction)}, tool use ${fmtPct(s.toolUseFraction)} (both bypass the cache).`,
        ),
        note(
          `Tokens: ${fmtInt(s.tokens.in)} in, ${fmtInt(s.tokens.out)} out; ${fmtInt(s.keylessRequests)} request(s) without a key (never looked up in the application tiers); ` +
            `${fmtInt(s.promptPrefix?.requests)} with a prompt prefix (${fmtInt(s.promptPrefix?.blocks)} block ids, ${fmtInt(s.promptPrefix?.segments)} segments).`,
        ),
      ],
    },
    {
      id: 'popularity',
      title: 'Key popularity',
      blocks: [
        note(z ? `Zipf exponent ${z.exponent.toFixed(3)} (R² ${z.r2.toFixed(3)}, fitted on ${z.points} log-spaced ranks).` : 'Too few keys for a Zipf fit.'),
        ...(s.popularity.top.length > 0 ? [table(['Top key', 'Requests', 'Share'], s.popularity.top.map((k) => [k.key, fmtInt(k.requests), fmtPct(k.share, 2)]))] : []),
      ],
    },
  ];
  return {
    command: 'trace stats',
    subject: s.file,
    title: `Trace statistics: ${s.file}`,
    meta: [
      `${fmtInt(s.events)} events over ${fmtDuration(s.spanMs)}: ${fmtInt(s.messages)} messages, ${fmtInt(s.requests)} requests ` +
        `(${fmtInt(s.llmRequests)} LLM, ${fmtInt(s.memoryReads)} memory reads), ${fmtInt(s.stateChanges)} state changes, ${fmtInt(s.contacts)} contacts, ` +
        `${fmtInt(s.keys)} distinct LLM keys${s.skipped > 0 ? `; skipped ${fmtInt(s.skipped)} invalid line(s)` : ''}`,
    ],
    kpis: [
      { label: 'Requests', value: fmtInt(s.requests), note: `over ${fmtDuration(s.spanMs)}` },
      { label: 'LLM requests', value: fmtInt(s.llmRequests), note: `${fmtInt(s.keys)} distinct keys` },
      { label: 'Repeated calls', value: fmtPct(s.repeatedCallRate), note: 'of LLM requests' },
      { label: 'Memory reads', value: fmtInt(s.memoryReads), note: `${fmtPct(s.accessDepth.full)} full history` },
      { label: 'Zipf exponent', value: z ? z.exponent.toFixed(2) : 'n/a', note: z ? `R² ${z.r2.toFixed(2)}` : 'too few keys' },
    ],
    alerts: [],
    sections,
    schema: s.schema,
  };
}
