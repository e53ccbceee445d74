/**
 * The human-readable output of `llmcache bench`: plain text tables of the measured latency (end
 * to end, per tier, per op), counts, trials and the environment. A pure function of the result.
 */
import type { BenchResult } from '../model/results.js';
import { fmtInt, fmtPct, fmtUs, oneLine, ratio, textTable, wrap } from './format.js';

/** Render a bench result as text tables with short section titles. */
export function renderBenchTable(r: BenchResult): string {
  const m = r.mode;
  const loop = m.loop === 'closed' ? `closed loop, concurrency ${m.concurrency}` : `open loop, ${fmtInt(m.rate)} req/s (timed from intended start)`;
  const env = r.env;
  const backends = [env.redis && `Redis ${env.redis}${env.redisMode ? ` (${oneLine(env.redisMode)})` : ''}`, env.postgres && `Postgres ${env.postgres}`, env.pgvector && `pgvector ${env.pgvector}`]
    .filter(Boolean)
    .join(', ');
  const head = [
    `llmcache bench - scenario "${oneLine(r.scenario.name)}" (${oneLine(r.scenario.fingerprint)}), seed ${r.seed}`,
    `${loop}; ${m.workers} worker(s); ${r.trials.length} trial(s); warm-up ${fmtInt(m.warmupRequests)} requests discarded; LLM sleep x${r.llmTimeScale ?? 0}`,
    `${fmtInt(r.requests)} requests, ${r.throughput.toFixed(0)} req/s, ${fmtInt(r.errors)} errors${r.failedOpen ? ` (${fmtInt(r.failedOpen)} requests failed open)` : ''}, hit rate ${fmtPct(ratio(r.hits ?? 0, r.requests))}, ${fmtInt(r.llmCalls)} LLM calls, ${fmtInt(r.bypassed)} bypassed`,
    `node ${env.node} on ${oneLine(env.cpu)} x${env.cpus}${backends ? `; ${backends}` : ''}${env.git ? `; git ${env.git}` : ''}`,
  ].join('\n');

  const lat = (name: string, p: BenchResult['latencyUs'], n: number) => [
    name,
    fmtInt(n),
    fmtUs(p.p50),
    fmtUs(p.p95),
    fmtUs(p.p99),
    fmtUs(p.p999),
    fmtUs(p.max),
  ];
  const latHead = ['', 'count', 'p50', 'p95', 'p99', 'p99.9', 'max'];
  const latency = textTable(latHead, [
    lat('end to end', r.latencyUs, r.latencyUs.count),
    ...Object.entries(r.ops).map(([op, o]) => lat(`  op ${op}`, o.latencyUs, o.requests)),
    ...r.tiers.map((t) => lat(`  ${t.name} lookup`, t.latencyUs, t.latencyUs.count)),
  ]);

  const tiers = textTable(
    ['tier', 'kind', 'lookups', 'hits', 'hit rate', 'stale', 'errors', 'writes'],
    r.tiers.map((t) => [
      t.name,
      t.kind,
      fmtInt(t.lookups),
      fmtInt(t.hits),
      fmtPct(ratio(t.hits, t.lookups)),
      fmtInt(t.staleHits ?? 0),
      fmtInt(t.errors + (t.writeErrors ?? 0)),
      fmtInt(t.writes ?? 0),
    ]),
  );

  const trials =
    r.trials.length > 1
      ? `Trials\n${textTable(
          ['trial', 'requests', 'req/s', 'p50', 'p99', 'errors'],
          r.trials.map((t, i) => [String(i + 1), fmtInt(t.requests), t.throughput.toFixed(0), fmtUs(t.latencyUs.p50), fmtUs(t.latencyUs.p99), fmtInt(t.errors)]),
        )}`
      : '';

  const cluster = r.tiers
    .filter((t) => t.nodes)
    .map((t) => {
      const total = Object.values(t.nodes!).reduce((a, b) => a + b, 0);
      const rows = Object.entries(t.nodes!).map(([node, n]) => [`  ${t.name} ${oneLine(node)}`, fmtInt(n), fmtPct(ratio(n, total))]);
      const hot = t.hotSlot ? `\n  hottest slot ${t.hotSlot.slot}: ${fmtInt(t.hotSlot.commands)} commands (${fmtPct(ratio(t.hotSlot.commands, total))})` : '';
      return `${textTable(['commands by node', 'commands', 'share'], rows)}${hot}`;
    })
    .join('\n');
  const client = `Client: event-loop delay p50 ${fmtUs(r.eventLoopDelayUs.p50)}, p99 ${fmtUs(r.eventLoopDelayUs.p99)}, max ${fmtUs(r.eventLoopDelayUs.max)}; CPU ${((r.clientCpu ?? 0) * 100).toFixed(0)}% of a core${r.clientBottleneck ? ' - the client was the bottleneck' : ''}`;
  const injected = r.injectedDelay ? `Injected delay: ${Object.entries(r.injectedDelay).map(([k, v]) => `${k} +${(v * 100).toFixed(0)}%`).join(', ')}` : '';
  const warnings = r.warnings.length > 0 ? `Warnings\n${r.warnings.map((w) => wrap(`- ${w}`, 100, '  ')).join('\n')}` : '';
  return `${[head, `Latency\n${latency}`, `Tiers\n${tiers}`, cluster && `Redis Cluster\n${cluster}`, trials, client, injected, warnings].filter((p) => p !== '').join('\n\n')}\n`;
}
