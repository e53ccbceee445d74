/**
 * The view of a bench result: measured latency (end to end, per op, per tier lookup), hit rates,
 * trials, the client and the environment. Pure: result -> View.
 */
import type { BenchResult, Percentiles } from '../../model/results.js';
import { fmtInt, fmtLatency, fmtPct, fmtUs, ratio } from '../format.js';
import { chart, list, note, latencySection, table, type Section, type View } from '../view.js';
import { benchBillsSection } from './bills.js';

export function benchView(r: BenchResult): View {
  const m = r.mode;
  const e = r.env;
  const l = r.latencyUs;
  const loop = m.loop === 'open' ? `open loop at ${fmtInt(m.rate)} req/s (timed from intended start)` : `closed loop, concurrency ${fmtInt(m.concurrency)}`;
  const backends = [
    e.redis && `Redis ${e.redis}${e.redisMode ? ` (${e.redisMode})` : ''}`,
    e.postgres && `Postgres ${e.postgres}`,
    e.pgvector && `pgvector ${e.pgvector}`,
    e.git && `git ${e.git}`,
  ].filter(Boolean);
  const alerts: string[] = [];
  if (r.interrupted) alerts.push(`Interrupted by ${r.interrupted.signal} after ${r.interrupted.trialsCompleted} of ${r.interrupted.trialsPlanned} trials: the figures cover the time up to the signal.`);
  if (r.clientBottleneck) alerts.push('The benchmark client was the bottleneck: its latencies include client queueing.');
  return {
    command: 'bench',
    subject: r.scenario.name,
    title: `Benchmark: ${r.scenario.name}`,
    meta: [
      `Started ${r.startedAt} · ${loop} · ${fmtInt(m.workers)} worker(s) · ${fmtInt(r.trials.length)} trial(s) · warm-up ${fmtInt(m.warmupRequests)} requests discarded · ` +
        `seed ${r.seed} · scenario ${r.scenario.fingerprint}`,
      `Node ${e.node} · ${e.cpu} × ${e.cpus} · ${e.os}${backends.length ? ` · ${backends.join(' · ')}` : ''}`,
    ],
    kpis: [
      { label: 'Throughput (req/s)', value: fmtInt(r.throughput), note: `${fmtInt(r.requests)} requests` },
      { label: 'P50', value: fmtUs(l.p50) },
      { label: 'P99', value: fmtUs(l.p99) },
      { label: 'P99.9', value: fmtUs(l.p999), note: `max ${fmtUs(l.max)}` },
      { label: 'Hit rate', value: r.hits === undefined ? 'n/a' : fmtPct(ratio(r.hits, r.requests)), note: `${fmtInt(r.llmCalls)} LLM calls` },
      { label: 'Errors', value: fmtInt(r.errors), note: `${fmtPct(ratio(r.errors, r.requests), 2)}${r.failedOpen ? `, ${fmtInt(r.failedOpen)} failed open` : ''}` },
      { label: 'Event-loop P99', value: fmtUs(r.eventLoopDelayUs.p99), note: r.clientBottleneck ? 'client was the bottleneck' : 'client not limiting' },
    ],
    alerts,
    sections: [latency(r), tiers(r), cluster(r), benchBillsSection(r), trials(r), client(r), warnings(r)].filter((x): x is Section => x !== undefined),
    schema: r.schema,
  };
}

const pct = (p: Percentiles) => [p.p50, p.p95, p.p99, p.p999, p.max].map(fmtLatency);

function latency(r: BenchResult): Section {
  const l = r.latencyUs;
  return latencySection({
    title: 'Latency by percentile: end to end and per tier lookup (log scale)',
    scaleToUs: 1,
    series: [
      { label: 'end to end', histogram: r.histogram, fields: l },
      ...r.tiers.map((t) => ({ label: `${t.name} lookup`, histogram: t.histogram, fields: t.latencyUs })),
    ],
    reported: l,
    fmt: fmtUs,
    summary: table(['Latency (µs)', 'Count', 'P50', 'P95', 'P99', 'P99.9', 'Max'], [
      ['end to end', fmtInt(l.count), ...pct(l)],
      ...Object.entries(r.ops).map(([op, o]) => [`op ${op}`, fmtInt(o.requests), ...pct(o.latencyUs)]),
      ...r.tiers.map((t) => [`${t.name} lookup`, fmtInt(t.latencyUs.count), ...pct(t.latencyUs)]),
    ]),
  });
}

function tiers(r: BenchResult): Section {
  const notes = [
    `LLM calls ${fmtInt(r.llmCalls)} · bypassed ${fmtInt(r.bypassed)}`,
    r.llmTimeScale !== undefined ? `simulated LLM latency × ${r.llmTimeScale}` : '',
    r.hits !== undefined ? `hit rate ${fmtPct(ratio(r.hits, r.requests))} of all requests` : '',
  ].filter(Boolean);
  return {
    id: 'tiers',
    title: 'Tiers',
    blocks: [
      chart({
        type: 'bars',
        id: 'tier-hits',
        title: 'Hit rate per tier (hits / lookups)',
        max: 1,
        groups: r.tiers.map((t) => ({ label: t.name, bars: [{ value: ratio(t.hits, t.lookups), text: `${fmtPct(ratio(t.hits, t.lookups))} of ${fmtInt(t.lookups)}`, cls: 'hit-rate' }] })),
      }),
      table(
        ['Tier', 'Kind', 'Lookups', 'Hits', 'Misses', 'Hit rate', 'Stale hits', 'Errors', 'Writes'],
        r.tiers.map((t) => [
          t.name,
          t.kind,
          fmtInt(t.lookups),
          fmtInt(t.hits),
          fmtInt(t.misses),
          fmtPct(ratio(t.hits, t.lookups)),
          fmtInt(t.staleHits ?? 0),
          fmtInt(t.errors + (t.writeErrors ?? 0)),
          fmtInt(t.writes ?? 0),
        ]),
        2,
      ),
      note(`${notes.join(' · ')}.`),
    ],
  };
}

function cluster(r: BenchResult): Section | undefined {
  const clustered = r.tiers.filter((t) => t.nodes);
  if (clustered.length === 0) return undefined;
  return {
    id: 'cluster',
    title: 'Redis Cluster',
    blocks: clustered.flatMap((t) => {
      const nodes = Object.entries(t.nodes!);
      const total = nodes.reduce((a, [, n]) => a + n, 0);
      return [
        table(['Commands by node', 'Commands', 'Share'], nodes.map(([node, n]) => [`${t.name} ${node}`, fmtInt(n), fmtPct(ratio(n, total))])),
        ...(t.hotSlot ? [note(`Hottest slot ${t.hotSlot.slot}: ${fmtInt(t.hotSlot.commands)} commands (${fmtPct(ratio(t.hotSlot.commands, total))}).`)] : []),
      ];
    }),
  };
}

function trials(r: BenchResult): Section {
  return {
    id: 'trials',
    title: 'Trials',
    fold: true,
    blocks: [
      table(
        ['Trial', 'Requests', 'Errors', 'Duration ms', 'req/s', 'P50 µs', 'P99 µs'],
        r.trials.map((t, i) => [`${i + 1}${t.interrupted ? ' (interrupted)' : ''}`, fmtInt(t.requests), fmtInt(t.errors), fmtInt(t.durationMs), fmtInt(t.throughput), fmtLatency(t.latencyUs.p50), fmtLatency(t.latencyUs.p99)]),
      ),
    ],
  };
}

function client(r: BenchResult): Section {
  const d = r.eventLoopDelayUs;
  return {
    id: 'client',
    title: 'Client',
    fold: true,
    blocks: [
      note(
        `Event-loop delay P50 ${fmtUs(d.p50)}, P99 ${fmtUs(d.p99)}, max ${fmtUs(d.max)}` +
          `${r.clientCpu !== undefined ? `; CPU ${fmtPct(r.clientCpu, 0)} of a core` : ''}` +
          `${r.clientBottleneck ? ': the client was the bottleneck.' : '.'}`,
      ),
    ],
  };
}

function warnings(r: BenchResult): Section | undefined {
  const items = [
    ...r.warnings,
    ...Object.entries(r.injectedDelay ?? {}).map(([t, f]) => `injected delay: ${t} +${(f * 100).toFixed(0)}%`),
    ...Object.entries(r.injectedTail ?? {}).map(([t, x]) => `injected tail: ${fmtPct(x.share)} of ${t} lookups +${x.ms} ms`),
  ];
  return items.length > 0 ? { id: 'warnings', title: 'Warnings', blocks: list(items) } : undefined;
}
