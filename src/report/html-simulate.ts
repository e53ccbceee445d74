/**
 * The body of the HTML report for a simulate result: KPIs, the latency percentile plot, per-tier
 * hit bars, the cost comparison, staleness by key class, memory reads and the semantic tier.
 */
import { BILL_HEAD, BILL_OP_HEAD, billOpRows, billRows, billSummary, promptCacheSummary, provenanceLines } from './bills.js';
import type { SimulateResult } from '../model/results.js';
import {
  escapeHtml as esc,
  fmtDuration,
  fmtInt,
  fmtLatency,
  fmtMs,
  fmtPct,
  fmtPctValue,
  fmtUsd,
  memoryServers,
  ratio,
  costCaption,
  STALENESS_NOTE,
} from './format.js';
import { barChart, latencyPlot, percentileCurve, reportedMarkers, type BarGroup } from './svg.js';
import { htmlTable, kpis, section } from './html-kit.js';

function header(r: SimulateResult): string {
  const w = r.workload;
  return `<header><h1>Cache simulation: ${esc(r.scenario.name)}</h1>
<p>${fmtInt(w.leads)} leads × ${esc(w.days)} days · ${esc(w.workers)} worker(s), ${esc(w.routing)} routing · invalidation ${esc(w.invalidation)} · seed ${esc(r.seed)} · scenario ${esc(r.scenario.fingerprint)}</p>
<p>${fmtInt(r.requests)} requests (${fmtInt(r.llmRequests)} LLM ops, ${fmtInt(r.memoryReads)} memory reads) from ${fmtInt(w.messages)} messages · ${fmtInt(w.stateChanges)} state changes · ${fmtInt(r.invalidations)} invalidations</p></header>`;
}

function cards(r: SimulateResult): string {
  return kpis([
    { label: 'Hit rate', value: fmtPct(r.hitRate), note: `${fmtInt(r.hits)} of ${fmtInt(r.requests)} requests` },
    { label: 'LLM hit rate', value: fmtPct(r.llmHitRate), note: `${fmtInt(r.llmCalls)} LLM calls` },
    { label: 'P99 latency', value: fmtMs(r.latencyMs.p99), note: `P50 ${fmtMs(r.latencyMs.p50)}` },
    { label: 'Monthly spend', value: fmtUsd(r.cost.monthlyUsd), note: `baseline ${fmtUsd(r.cost.baselineMonthlyUsd)}` },
    { label: 'Savings', value: fmtPctValue(r.cost.savingsPct), note: `${fmtUsd(r.cost.baselineMonthlyUsd - r.cost.monthlyUsd)} per month` },
    { label: 'Stale LLM answers', value: fmtPct(r.staleness.answers.staleRate, 2), note: `${fmtInt(r.staleness.answers.staleHits)} of ${fmtInt(r.staleness.answers.hits)} answer hits` },
    { label: 'Stale conversation windows', value: fmtPct(r.staleness.contextWindows.staleRate, 2), note: `${fmtInt(r.staleness.contextWindows.staleHits)} of ${fmtInt(r.staleness.contextWindows.hits)} memory hits` },
  ]);
}

function latency(r: SimulateResult): string {
  const l = r.latencyMs;
  const series = [{ label: 'end to end', points: percentileCurve(r.latencyHistogram, l, 1000) }];
  const plot = latencyPlot('latency-plot', series, 'End-to-end latency by percentile (log scale)', reportedMarkers(l, 1000, fmtMs));
  const table = htmlTable(['Latency (ms)', 'P50', 'P95', 'P99', 'P99.9', 'Max', 'Mean'], [
    ['all requests', ...[l.p50, l.p95, l.p99, l.p999, l.max, l.mean].map(fmtLatency)],
  ]);
  return section('latency', 'Latency', plot, table);
}

function tiers(r: SimulateResult): string {
  const groups: BarGroup[] = r.tiers.map((t) => ({
    label: t.name,
    bars: [
      { value: t.hitRate, text: `${fmtPct(t.hitRate)} of ${fmtInt(t.lookups)} lookups`, cls: 'hit-rate' },
      { value: t.share, text: `${fmtPct(t.share)} of all requests`, cls: 'share' },
    ],
  }));
  const legend = [{ cls: 'hit-rate', label: 'hit rate (hits / lookups)' }, { cls: 'share', label: 'share (hits / all requests)' }];
  const rows = r.tiers.map((t) => [t.name, `${t.kind} · ${t.scope} · ${t.match}`, fmtInt(t.lookups), fmtInt(t.hits), fmtPct(t.hitRate), fmtPct(t.share), fmtInt(t.staleHits), fmtInt(t.evictions)]);
  rows.push(['all tiers', '', fmtInt(r.requests), fmtInt(r.hits), fmtPct(r.hitRate), fmtPct(r.hitRate), fmtInt(r.staleness.staleHits), '']);
  const misses = r.llmCalls - r.bypassed;
  return section(
    'tiers',
    'Tiers',
    barChart('tier-hits', 'Hits per tier', groups, 1, legend),
    htmlTable(['Tier', 'Kind', 'Lookups', 'Hits', 'Hit rate', 'Share', 'Stale hits', 'Evictions'], rows, { textCols: 2 }),
    `<p class="note">LLM ops ${fmtInt(r.llmRequests)}: ${fmtInt(r.llmRequests - r.llmCalls)} served from cache, ${fmtInt(misses)} cache misses, ` +
      `${fmtInt(r.bypassed)} bypassed (${fmtInt(r.bypassedStream)} streaming, ${fmtInt(r.bypassedToolUse)} tool use) → ${fmtInt(r.llmCalls)} LLM calls.</p>`,
  );
}

function cost(r: SimulateResult): string {
  const c = r.cost;
  const groups: BarGroup[] = [
    {
      label: 'total',
      bars: [
        { value: c.baselineMonthlyUsd, text: `${fmtUsd(c.baselineMonthlyUsd)} no cache`, cls: 'baseline' },
        { value: c.monthlyUsd, text: `${fmtUsd(c.monthlyUsd)} cached (−${fmtPctValue(c.savingsPct)})`, cls: 'cached' },
      ],
    },
    ...Object.entries(c.byOp).map(([op, o]) => ({
      label: op,
      bars: [
        { value: o.baselineMonthlyUsd, text: fmtUsd(o.baselineMonthlyUsd), cls: 'baseline' },
        { value: o.monthlyUsd, text: fmtUsd(o.monthlyUsd), cls: 'cached' },
      ],
    })),
  ];
  const legend = [{ cls: 'baseline', label: 'no cache (baseline)' }, { cls: 'cached', label: 'with this cache stack' }];
  const rows = Object.entries(c.byOp).map(([op, o]) => [op, fmtInt(o.baselineCalls), fmtInt(o.calls), fmtUsd(o.baselineMonthlyUsd), fmtUsd(o.monthlyUsd)]);
  rows.push(['total (incl. embeddings, infrastructure)', fmtInt(r.llmRequests), fmtInt(r.llmCalls), fmtUsd(c.baselineMonthlyUsd), fmtUsd(c.monthlyUsd)]);
  return section(
    'cost',
    'Cost',
    barChart('cost-plot', 'Monthly spend: baseline vs cached (USD)', groups, c.baselineMonthlyUsd, legend),
    `<p class="note">${esc(costCaption(c.windowDays))}.</p>`,
    htmlTable(['Op', 'Calls in window, no cache', 'Calls in window, cached', 'USD/month, no cache', 'USD/month, cached'], rows),
    `<p class="note">Window ${esc(c.windowDays)} days: baseline ${fmtUsd(c.baselineWindowUsd)}, LLM ${fmtUsd(c.llmWindowUsd)}, embeddings ${fmtUsd(c.embeddingWindowUsd)}; ` +
      `infrastructure ${fmtUsd(c.infraMonthlyUsd)}/month. Input tokens ${fmtInt(c.tokens.baselineIn)} → ${fmtInt(c.tokens.paidIn)}, output ${fmtInt(c.tokens.baselineOut)} → ${fmtInt(c.tokens.paidOut)}.</p>`,
    `<h3>Assumptions</h3><ul class="assumptions">${c.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`,
  );
}

function bills(r: SimulateResult): string {
  const b = r.cost.bills;
  if (!b) return '';
  const groups: BarGroup[] = [
    {
      label: 'LLM bill',
      bars: [
        { value: b.noCache.monthlyUsd, text: `${fmtUsd(b.noCache.monthlyUsd)} no caching`, cls: 'baseline' },
        { value: b.promptCacheOnly.monthlyUsd, text: `${fmtUsd(b.promptCacheOnly.monthlyUsd)} prompt caching only`, cls: 'stale' },
        { value: b.stack.monthlyUsd, text: `${fmtUsd(b.stack.monthlyUsd)} tiers + prompt caching`, cls: 'cached' },
      ],
    },
  ];
  const legend = [
    { cls: 'baseline', label: 'no caching' },
    { cls: 'stale', label: 'provider prompt caching only' },
    { cls: 'cached', label: 'tiers + prompt caching' },
  ];
  const notes = [billSummary(b), promptCacheSummary(r), ...provenanceLines(r)].filter(Boolean);
  return section(
    'bills',
    'Three bills per month',
    barChart('bills-plot', 'LLM API bill per month (USD)', groups, b.noCache.monthlyUsd, legend),
    htmlTable(BILL_HEAD, billRows(b)),
    htmlTable(BILL_OP_HEAD, billOpRows(b)),
    ...notes.map((n) => `<p class="note">${esc(n)}</p>`),
  );
}

function staleness(r: SimulateResult): string {
  const ops = Object.entries(r.staleness.byOp);
  const max = Math.max(0.01, ...ops.map(([, s]) => s.staleRate).filter(Number.isFinite));
  const groups: BarGroup[] = ops.map(([op, s]) => ({
    label: op,
    bars: [{ value: s.staleRate, text: `${fmtPct(s.staleRate, 2)} (${fmtInt(s.staleHits)} of ${fmtInt(s.hits)})${s.staleHits > 0 ? `, age P50 ${fmtDuration(s.ageMs.p50)}` : ''}`, cls: 'stale' }],
  }));
  const rows = ops.map(([op, s]) => [op, fmtInt(s.hits), fmtInt(s.staleHits), fmtPct(s.staleRate, 2), ...[s.ageMs.p50, s.ageMs.p99, s.ageMs.max].map((a) => (s.staleHits > 0 ? fmtDuration(a) : '–'))]);
  return section(
    'staleness',
    'Staleness by key class',
    barChart('staleness-plot', 'Stale hits / hits per key class', groups, max),
    htmlTable(['Key class', 'Hits', 'Stale hits', 'Stale rate', 'Age P50', 'Age P99', 'Age max'], rows),
    `<p class="note">A stale hit served a value computed from an older entity version than the current one. ${esc(STALENESS_NOTE)}</p>`,
  );
}

function memory(r: SimulateResult): string {
  const servers = memoryServers(r);
  const rows = Object.entries(r.memory).map(([depth, d]) => [
    depth,
    fmtInt(d.reads),
    fmtPct(ratio(d.reads, r.memoryReads)),
    ...servers.map((s) => `${fmtInt(d.servedBy[s] ?? 0)} (${fmtPct(ratio(d.servedBy[s] ?? 0, d.reads), 0)})`),
  ]);
  return rows.length ? section('memory', 'Memory reads by depth and serving tier', htmlTable(['Depth', 'Reads', 'Mix', ...servers.map((s) => `served by ${s}`)], rows)) : '';
}

function semantic(r: SimulateResult): string {
  const s = r.semantic;
  if (!s) return '';
  const warn = s.leaks > 0 ? `<p class="warn">${fmtInt(s.leaks)} semantic hits crossed a contact or tenant boundary: a data leak, not a saving.</p>` : '';
  return section(
    'semantic',
    'Semantic tier',
    htmlTable(['Hits', 'Correct', 'False', 'Stale', 'Leaks', 'Precision', 'Recall', 'Embedding calls'], [
      [fmtInt(s.hits), fmtInt(s.correctHits), fmtInt(s.falseHits), fmtInt(s.staleHits), fmtInt(s.leaks), fmtPct(s.precision), fmtPct(s.recall), fmtInt(s.embeddingCalls)],
    ], { textCols: 0 }),
    warn,
  );
}

/** Everything inside <main> for a simulate result. */
export function simulateBody(r: SimulateResult): string {
  return [header(r), cards(r), latency(r), tiers(r), cost(r), bills(r), staleness(r), memory(r), semantic(r)].filter(Boolean).join('\n');
}
