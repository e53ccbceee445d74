/** The body of the HTML report for a bench result: latency curves per tier, hit rates, ops, trials. */
import type { BenchResult } from '../model/results.js';
import { escapeHtml as esc, fmtInt, fmtLatency, fmtPct, fmtUs, ratio } from './format.js';
import { barChart, latencyPlot, percentileCurve, reportedMarkers } from './svg.js';
import { htmlTable, kpis, section } from './html-kit.js';

export function benchBody(r: BenchResult): string {
  const l = r.latencyUs;
  const mode = r.mode.loop === 'open' ? `open loop at ${fmtInt(r.mode.rate)} req/s` : `closed loop, concurrency ${fmtInt(r.mode.concurrency)}`;
  const head = `<header><h1>Benchmark: ${esc(r.scenario.name)}</h1>
<p>Started ${esc(r.startedAt)} · ${esc(mode)} · ${fmtInt(r.mode.workers)} worker(s) · ${fmtInt(r.trials.length)} trial(s) · seed ${esc(r.seed)} · scenario ${esc(r.scenario.fingerprint)}</p>
<p>Node ${esc(r.env.node)} · ${esc(r.env.cpu)} × ${esc(r.env.cpus)} · ${esc(r.env.os)}${r.env.redis ? ` · Redis ${esc(r.env.redis)}` : ''}${r.env.postgres ? ` · Postgres ${esc(r.env.postgres)}` : ''}${r.env.pgvector ? ` · pgvector ${esc(r.env.pgvector)}` : ''}${r.env.git ? ` · git ${esc(r.env.git)}` : ''}</p></header>`;
  const cards = kpis([
    { label: 'Throughput (req/s)', value: fmtInt(r.throughput), note: `${fmtInt(r.requests)} requests` },
    { label: 'P50', value: fmtUs(l.p50) },
    { label: 'P99', value: fmtUs(l.p99) },
    { label: 'P99.9', value: fmtUs(l.p999), note: `max ${fmtUs(l.max)}` },
    { label: 'Hit rate', value: r.hits === undefined ? 'n/a' : fmtPct(ratio(r.hits, r.requests)), note: `${fmtInt(r.llmCalls)} LLM calls` },
    { label: 'Errors', value: fmtInt(r.errors), note: fmtPct(ratio(r.errors, r.requests), 2) },
    { label: 'Event-loop P99', value: fmtUs(r.eventLoopDelayUs.p99), note: r.clientBottleneck ? 'client was the bottleneck' : 'client not limiting' },
  ]);
  const series = [
    { label: 'end to end', points: percentileCurve(r.histogram, r.latencyUs, 1) },
    ...r.tiers.map((t) => ({ label: `${t.name} lookup`, points: percentileCurve(t.histogram, t.latencyUs, 1) })),
  ];
  const pct = (p: { p50: number; p95: number; p99: number; p999: number; max: number }) => [p.p50, p.p95, p.p99, p.p999, p.max].map(fmtLatency);
  const latency = section(
    'latency',
    'Latency',
    latencyPlot('latency-plot', series, 'Latency by percentile: end to end and per tier lookup (log scale)', reportedMarkers(l, 1, fmtUs)),
    htmlTable(['Latency (µs)', 'P50', 'P95', 'P99', 'P99.9', 'Max'], [['end to end', ...pct(l)], ...r.tiers.map((t) => [`${t.name} lookup`, ...pct(t.latencyUs)])]),
  );
  const tiers = section(
    'tiers',
    'Tiers',
    barChart('tier-hits', 'Hit rate per tier (hits / lookups)', r.tiers.map((t) => ({ label: t.name, bars: [{ value: ratio(t.hits, t.lookups), text: `${fmtPct(ratio(t.hits, t.lookups))} of ${fmtInt(t.lookups)}`, cls: 'hit-rate' }] })), 1),
    htmlTable(
      ['Tier', 'Kind', 'Lookups', 'Hits', 'Misses', 'Hit rate', 'Stale hits', 'Errors', 'Writes'],
      r.tiers.map((t) => [t.name, t.kind, fmtInt(t.lookups), fmtInt(t.hits), fmtInt(t.misses), fmtPct(ratio(t.hits, t.lookups)), fmtInt(t.staleHits ?? 0), fmtInt(t.errors + (t.writeErrors ?? 0)), fmtInt(t.writes ?? 0)]),
      { textCols: 2 },
    ),
    `<p class="note">LLM calls ${fmtInt(r.llmCalls)} · bypassed ${fmtInt(r.bypassed)}${r.llmTimeScale !== undefined ? ` · simulated LLM latency × ${esc(r.llmTimeScale)}` : ''}${r.clientCpu !== undefined ? ` · client CPU ${fmtPct(r.clientCpu, 0)} of a core` : ''}</p>`,
  );
  const ops = section('ops', 'Operations', htmlTable(['Op', 'Requests', 'P50 µs', 'P99 µs', 'P99.9 µs', 'Max µs'], Object.entries(r.ops).map(([op, o]) => [op, fmtInt(o.requests), fmtLatency(o.latencyUs.p50), fmtLatency(o.latencyUs.p99), fmtLatency(o.latencyUs.p999), fmtLatency(o.latencyUs.max)])));
  const trials = section('trials', 'Trials', htmlTable(['Trial', 'Requests', 'Errors', 'Duration ms', 'req/s', 'P50 µs', 'P99 µs'], r.trials.map((t, i) => [String(i + 1), fmtInt(t.requests), fmtInt(t.errors), fmtInt(t.durationMs), fmtInt(t.throughput), fmtLatency(t.latencyUs.p50), fmtLatency(t.latencyUs.p99)])));
  const warnings = r.warnings.length || r.injectedDelay
    ? section('warnings', 'Warnings', `<ul class="assumptions">${[...r.warnings, ...(r.injectedDelay ? [`injected delay: ${JSON.stringify(r.injectedDelay)}`] : [])].map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`)
    : '';
  return [head, cards, latency, tiers, ops, trials, warnings].join('\n');
}
