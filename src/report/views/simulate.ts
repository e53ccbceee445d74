/**
 * The view of a simulate result: hit rates per tier, latency, LLM calls, staleness by key class,
 * memory reads by depth, the semantic tier, spend and the three bills. Pure: result -> View.
 */
import type { SimulateResult } from '../../model/results.js';
import { costCaption, fmtDuration, fmtInt, fmtLatency, fmtMs, fmtPct, fmtPctValue, fmtUsd, memoryServers, ratio, staleHeadline, STALENESS_NOTE } from '../format.js';
import { chart, list, note, latencySection, table, warning, type BarGroup, type Section, type View } from '../view.js';
import { billsSection } from './bills.js';

export function simulateView(r: SimulateResult): View {
  const w = r.workload;
  const s = r.semantic;
  return {
    command: 'simulate',
    subject: r.scenario.name,
    title: `Cache simulation: ${r.scenario.name}`,
    meta: [
      `${fmtInt(w.leads)} leads × ${w.days} days · ${w.workers} worker(s), ${w.routing} routing · invalidation ${w.invalidation} · ` +
        `seed ${r.seed} · scenario ${r.scenario.fingerprint}`,
      `${fmtInt(r.requests)} requests (${fmtInt(r.llmRequests)} LLM ops, ${fmtInt(r.memoryReads)} memory reads) from ${fmtInt(w.messages)} messages · ` +
        `${fmtInt(w.stateChanges)} state changes · ${fmtInt(r.invalidations)} invalidations`,
    ],
    kpis: [
      { label: 'Hit rate', value: fmtPct(r.hitRate), note: `${fmtInt(r.hits)} of ${fmtInt(r.requests)} requests` },
      { label: 'LLM hit rate', value: fmtPct(r.llmHitRate), note: `${fmtInt(r.llmCalls)} LLM calls` },
      { label: 'P99 latency', value: fmtMs(r.latencyMs.p99), note: `P50 ${fmtMs(r.latencyMs.p50)}` },
      { label: 'Monthly spend', value: fmtUsd(r.cost.monthlyUsd), note: `tiers + prompt caching; no caching ${fmtUsd(r.cost.baselineMonthlyUsd)}` },
      { label: 'Savings', value: fmtPctValue(r.cost.savingsPct), note: `${fmtUsd(r.cost.baselineMonthlyUsd - r.cost.monthlyUsd)} per month` },
      { label: 'Stale LLM answers', value: fmtPct(r.staleness.answers.staleRate, 2), note: `${fmtInt(r.staleness.answers.staleHits)} of ${fmtInt(r.staleness.answers.hits)} answer hits` },
      {
        label: 'Stale conversation windows',
        value: fmtPct(r.staleness.contextWindows.staleRate, 2),
        note: `${fmtInt(r.staleness.contextWindows.staleHits)} of ${fmtInt(r.staleness.contextWindows.hits)} memory hits`,
      },
    ],
    alerts: s && s.leaks > 0 ? [`${fmtInt(s.leaks)} semantic hits crossed a contact or tenant boundary: a data leak, not a saving.`] : [],
    sections: [tiers(r), latency(r), llmCalls(r), staleness(r), cost(r), billsSection(r), memory(r), semantic(r)].filter((x): x is Section => x !== undefined),
    schema: r.schema,
  };
}

function tiers(r: SimulateResult): Section {
  const groups: BarGroup[] = r.tiers.map((t) => ({
    label: t.name,
    bars: [
      { value: t.hitRate, text: `${fmtPct(t.hitRate)} of ${fmtInt(t.lookups)} lookups`, cls: 'hit-rate' },
      { value: t.share, text: `${fmtPct(t.share)} of all requests`, cls: 'share' },
    ],
  }));
  const rows = r.tiers.map((t) => [t.name, [t.kind, t.scope, ...(t.match === 'semantic' ? ['semantic'] : [])].join('/'), fmtInt(t.lookups), fmtInt(t.hits), fmtPct(t.hitRate), fmtPct(t.share), fmtInt(t.staleHits), fmtInt(t.evictions)]);
  rows.push(['all', '', fmtInt(r.requests), fmtInt(r.hits), fmtPct(r.hitRate), fmtPct(r.hitRate), fmtInt(r.staleness.staleHits), '']);
  return {
    id: 'tiers',
    title: 'Tiers',
    blocks: [
      chart({
        type: 'bars',
        id: 'tier-hits',
        title: 'Hits per tier',
        groups,
        max: 1,
        legend: [{ cls: 'hit-rate', label: 'hit rate (hits / lookups)' }, { cls: 'share', label: 'share (hits / all requests)' }],
      }),
      table(['Tier', 'Kind/scope', 'Lookups', 'Hits', 'Hit rate', 'Share', 'Stale hits', 'Evictions'], rows, 2),
      note(`Overall hit rate ${fmtPct(r.hitRate)} of all requests; LLM hit rate ${fmtPct(r.llmHitRate)} of LLM ops. Hit rate = hits / lookups of that tier; share = hits / all requests.`),
      ...r.tiers
        .filter((t) => t.systemOfRecordReads > 0)
        .map((t) => note(`${t.name} also served ${fmtInt(t.systemOfRecordReads)} memory reads as the system of record (not cache hits).`)),
    ],
  };
}

function latency(r: SimulateResult): Section {
  const l = r.latencyMs;
  return latencySection({
    title: 'End-to-end latency by percentile (log scale)',
    scaleToUs: 1000,
    series: [{ label: 'end to end', histogram: r.latencyHistogram, fields: l }],
    reported: l,
    fmt: fmtMs,
    summary: table(['End-to-end latency (ms)', 'P50', 'P95', 'P99', 'P99.9', 'Max', 'Mean'], [['all requests', ...[l.p50, l.p95, l.p99, l.p999, l.max, l.mean].map(fmtLatency)]]),
  });
}

function llmCalls(r: SimulateResult): Section {
  const misses = r.llmCalls - r.bypassed;
  const row = (label: string, n: number) => [label, fmtInt(n), fmtPct(ratio(n, r.llmRequests))];
  return {
    id: 'llm-calls',
    title: 'LLM calls',
    fold: true,
    blocks: [
      table(['LLM ops', 'Count', 'Of LLM ops'], [
        row('requested', r.llmRequests),
        row('served from cache', r.llmRequests - r.llmCalls),
        row('cache misses → LLM', misses),
        row('bypassed: streaming', r.bypassedStream),
        row('bypassed: tool use', r.bypassedToolUse),
        row('LLM calls (misses + bypasses)', r.llmCalls),
      ]),
    ],
  };
}

function staleness(r: SimulateResult): Section {
  const s = r.staleness;
  const ops = Object.entries(s.byOp);
  const age = (stale: number, ms: number) => (stale > 0 ? fmtDuration(ms) : '–');
  const rows = ops.map(([op, c]) => [op, fmtInt(c.hits), fmtInt(c.staleHits), fmtPct(c.staleRate, 2), age(c.staleHits, c.ageMs.p50), age(c.staleHits, c.ageMs.p99), age(c.staleHits, c.ageMs.max)]);
  rows.push(['all classes', fmtInt(r.hits), fmtInt(s.staleHits), fmtPct(s.staleRate, 2), '', '', '']);
  const max = Math.max(0.01, ...ops.map(([, c]) => c.staleRate).filter(Number.isFinite));
  return {
    id: 'staleness',
    title: 'Staleness by key class',
    blocks: [
      chart({
        type: 'bars',
        id: 'staleness-plot',
        title: 'Stale hits / hits per key class',
        max,
        groups: ops.map(([op, c]) => ({
          label: op,
          bars: [{ value: c.staleRate, text: `${fmtPct(c.staleRate, 2)} (${fmtInt(c.staleHits)} of ${fmtInt(c.hits)})${c.staleHits > 0 ? `, age P50 ${fmtDuration(c.ageMs.p50)}` : ''}`, cls: 'stale' }],
        })),
      }),
      table(['Key class', 'Hits', 'Stale hits', 'Stale rate', 'Age P50', 'Age P99', 'Age max'], rows),
      note(`${staleHeadline(s)}.`),
      note('A stale hit served a value computed from an older entity version than the current one.'),
      note(STALENESS_NOTE),
    ],
  };
}

function cost(r: SimulateResult): Section {
  const c = r.cost;
  const ops = Object.entries(c.byOp);
  const rows = ops.map(([op, o]) => [op, fmtInt(o.baselineCalls), fmtInt(o.calls), fmtUsd(o.baselineMonthlyUsd), fmtUsd(o.monthlyUsd)]);
  rows.push(['total (incl. embeddings, infra)', fmtInt(r.llmRequests), fmtInt(r.llmCalls), fmtUsd(c.baselineMonthlyUsd), fmtUsd(c.monthlyUsd)]);
  const groups: BarGroup[] = [
    {
      label: 'total',
      bars: [
        { value: c.baselineMonthlyUsd, text: `${fmtUsd(c.baselineMonthlyUsd)} no cache`, cls: 'baseline' },
        { value: c.monthlyUsd, text: `${fmtUsd(c.monthlyUsd)} cached (−${fmtPctValue(c.savingsPct)})`, cls: 'cached' },
      ],
    },
    ...ops.map(([op, o]) => ({
      label: op,
      bars: [
        { value: o.baselineMonthlyUsd, text: fmtUsd(o.baselineMonthlyUsd), cls: 'baseline' },
        { value: o.monthlyUsd, text: fmtUsd(o.monthlyUsd), cls: 'cached' },
      ],
    })),
  ];
  return {
    id: 'cost',
    title: `Cost (${costCaption(c.windowDays)})`,
    fold: true,
    blocks: [
      chart({
        type: 'bars',
        id: 'cost-plot',
        title: 'Monthly spend: no caching vs the real bill (USD)',
        groups,
        max: c.baselineMonthlyUsd,
        legend: [{ cls: 'baseline', label: 'no caching (baseline)' }, { cls: 'cached', label: 'tiers + prompt caching' }],
      }),
      table(['Op', 'Calls no cache', 'Calls cached', '$/mo no cache', '$/mo cached'], rows),
      note(
        `Baseline (no caching) ${fmtUsd(c.baselineMonthlyUsd)}/month → real bill (tiers + prompt caching, embeddings, infrastructure) ${fmtUsd(c.monthlyUsd)}/month: savings ${fmtPctValue(c.savingsPct)} ` +
          `(${fmtUsd(c.baselineMonthlyUsd - c.monthlyUsd)}/month).`,
      ),
      note(
        `Window ${c.windowDays} days: baseline ${fmtUsd(c.baselineWindowUsd)}, LLM ${fmtUsd(c.llmWindowUsd)}, embeddings ${fmtUsd(c.embeddingWindowUsd)}; ` +
          `infrastructure ${fmtUsd(c.infraMonthlyUsd)}/month. Input tokens ${fmtInt(c.tokens.baselineIn)} → ${fmtInt(c.tokens.paidIn)}, ` +
          `output ${fmtInt(c.tokens.baselineOut)} → ${fmtInt(c.tokens.paidOut)}.`,
      ),
      ...list(c.assumptions, 'Assumptions'),
    ],
  };
}

function memory(r: SimulateResult): Section | undefined {
  const depths = Object.entries(r.memory);
  if (depths.length === 0) return undefined;
  const servers = memoryServers(r);
  const rows = depths.map(([depth, d]) => [
    depth,
    fmtInt(d.reads),
    fmtPct(ratio(d.reads, r.memoryReads)),
    ...servers.map((s) => {
      const n = d.servedBy[s] ?? 0;
      return n === 0 ? '–' : `${fmtInt(n)} (${fmtPct(ratio(n, d.reads), 0)})`;
    }),
  ]);
  return {
    id: 'memory',
    title: 'Memory reads by depth and serving tier',
    fold: true,
    blocks: [table(['Depth', 'Reads', 'Mix', ...servers.map((s) => `by ${s}`)], rows)],
  };
}

function semantic(r: SimulateResult): Section | undefined {
  const s = r.semantic;
  if (!s) return undefined;
  return {
    id: 'semantic',
    title: 'Semantic tier',
    fold: true,
    blocks: [
      table(
        ['Hits', 'Correct', 'False', 'Stale', 'Leaks', 'Precision', 'Recall', 'Embedding calls'],
        [[fmtInt(s.hits), fmtInt(s.correctHits), fmtInt(s.falseHits), fmtInt(s.staleHits), fmtInt(s.leaks), fmtPct(s.precision), fmtPct(s.recall), fmtInt(s.embeddingCalls)]],
        0,
      ),
      ...(s.leaks > 0 ? [warning(`${fmtInt(s.leaks)} semantic hits crossed a contact or tenant boundary: a data leak, not a saving.`)] : []),
    ],
  };
}
