/**
 * Markdown reports fit for a pull-request comment: a headline with the key numbers, then compact
 * GitHub tables; details fold away. Every text from a scenario or a trace is escaped. Pure.
 */
import { BILL_HEAD, BILL_OP_HEAD, billOpRows, billRows, billSummary, promptCacheSummary, provenanceLines } from './bills.js';
import type { AnyResult, BenchResult, SimulateResult } from '../model/results.js';
import {
  escapeMarkdown as md,
  fmtDuration,
  fmtInt,
  fmtLatency,
  fmtMs,
  fmtPct,
  fmtPctValue,
  fmtUs,
  fmtUsd,
  memoryServers,
  ratio,
  costCaption,
  staleHeadline,
  STALENESS_NOTE,
} from './format.js';

/** A GitHub table; every cell is escaped; columns from `textCols` on are right-aligned. */
export function mdTable(head: string[], rows: string[][], textCols = 1): string {
  const line = (cells: string[]) => `| ${cells.map(md).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (i < textCols ? ' :-- ' : ' --: ')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

function details(summary: string, ...blocks: string[]): string {
  return `<details><summary>${md(summary)}</summary>\n\n${blocks.filter(Boolean).join('\n\n')}\n\n</details>`;
}

function simulateMarkdown(r: SimulateResult): string {
  const w = r.workload;
  const c = r.cost;
  const headline =
    `**Hit rate ${fmtPct(r.hitRate)}** (LLM ops ${fmtPct(r.llmHitRate)}) · **P99 ${fmtMs(r.latencyMs.p99)}** · ` +
    `**${fmtUsd(c.baselineMonthlyUsd)} → ${fmtUsd(c.monthlyUsd)} per month (${fmtPctValue(c.savingsPct)} saved)** · ` +
    staleHeadline(r.staleness);
  const meta =
    `${fmtInt(w.leads)} leads × ${w.days} days · ${w.workers} worker(s), ${md(w.routing)} routing · invalidation ${md(w.invalidation)} · ` +
    `seed ${r.seed} · scenario ${md(r.scenario.fingerprint)} · ${fmtInt(r.requests)} requests, ${fmtInt(r.llmCalls)} LLM calls ` +
    `(${fmtInt(r.bypassed)} bypassed: ${fmtInt(r.bypassedStream)} streaming, ${fmtInt(r.bypassedToolUse)} tool use)`;
  const tiers = mdTable(
    ['Tier', 'Kind', 'Lookups', 'Hits', 'Hit rate', 'Share', 'Stale hits', 'Evictions'],
    [
      ...r.tiers.map((t) => [t.name, `${t.kind} · ${t.scope} · ${t.match}`, fmtInt(t.lookups), fmtInt(t.hits), fmtPct(t.hitRate), fmtPct(t.share), fmtInt(t.staleHits), fmtInt(t.evictions)]),
      ['all', '', fmtInt(r.requests), fmtInt(r.hits), fmtPct(r.hitRate), fmtPct(r.hitRate), fmtInt(r.staleness.staleHits), ''],
    ],
    2,
  );
  const l = r.latencyMs;
  const latency = mdTable(['Latency (ms)', 'P50', 'P95', 'P99', 'P99.9', 'Max'], [['end to end', ...[l.p50, l.p95, l.p99, l.p999, l.max].map(fmtLatency)]]);
  const stale = mdTable(
    ['Key class', 'Hits', 'Stale hits', 'Stale rate', 'Age P50', 'Age P99', 'Age max'],
    Object.entries(r.staleness.byOp).map(([op, s]) => [op, fmtInt(s.hits), fmtInt(s.staleHits), fmtPct(s.staleRate, 2), ...[s.ageMs.p50, s.ageMs.p99, s.ageMs.max].map((a) => (s.staleHits > 0 ? fmtDuration(a) : '–'))]),
  );
  const cost = mdTable(
    ['Op', 'Calls in window, no cache', 'Calls in window, cached', 'USD/month, no cache', 'USD/month, cached'],
    [
      ...Object.entries(c.byOp).map(([op, o]) => [op, fmtInt(o.baselineCalls), fmtInt(o.calls), fmtUsd(o.baselineMonthlyUsd), fmtUsd(o.monthlyUsd)]),
      ['total (incl. embeddings, infrastructure)', fmtInt(r.llmRequests), fmtInt(r.llmCalls), fmtUsd(c.baselineMonthlyUsd), fmtUsd(c.monthlyUsd)],
    ],
  );
  const assumptions = c.assumptions.map((a) => `- ${md(a)}`).join('\n');
  const bills = c.bills
    ? [mdTable(BILL_HEAD, billRows(c.bills)), md(billSummary(c.bills)), md(promptCacheSummary(r)), details('Bills by op and model; what the trace measured', mdTable(BILL_OP_HEAD, billOpRows(c.bills)), provenanceLines(r).map(md).join('\n\n'))].filter(Boolean).join('\n\n')
    : '';
  const servers = memoryServers(r);
  const memory = Object.keys(r.memory).length
    ? mdTable(['Memory depth', 'Reads', 'Mix', ...servers.map((s) => `by ${s}`)], Object.entries(r.memory).map(([depth, d]) => [depth, fmtInt(d.reads), fmtPct(ratio(d.reads, r.memoryReads)), ...servers.map((s) => `${fmtInt(d.servedBy[s] ?? 0)} (${fmtPct(ratio(d.servedBy[s] ?? 0, d.reads), 0)})`)]))
    : '';
  const s = r.semantic;
  const semantic = s
    ? mdTable(['Semantic hits', 'Correct', 'False', 'Stale', 'Leaks', 'Precision', 'Recall', 'Embedding calls'], [[fmtInt(s.hits), fmtInt(s.correctHits), fmtInt(s.falseHits), fmtInt(s.staleHits), fmtInt(s.leaks), fmtPct(s.precision), fmtPct(s.recall), fmtInt(s.embeddingCalls)]], 0)
    : '';
  const leak = s && s.leaks > 0 ? `> **Warning:** ${fmtInt(s.leaks)} semantic hits crossed a contact or tenant boundary (a data leak, not a saving).` : '';
  return [
    `### llmcache simulate · ${md(r.scenario.name)}`,
    headline,
    meta,
    leak,
    tiers,
    latency,
    stale,
    md(STALENESS_NOTE),
    bills,
    details(`Cost by op (${costCaption(c.windowDays)}) and assumptions`, cost, assumptions),
    details('Memory reads and semantic tier', memory, semantic),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function benchMarkdown(r: BenchResult): string {
  const l = r.latencyUs;
  const mode = r.mode.loop === 'open' ? `open loop at ${fmtInt(r.mode.rate)} req/s` : `closed loop, concurrency ${fmtInt(r.mode.concurrency)}`;
  const headline =
    `**${fmtInt(r.throughput)} req/s** · **P50 ${fmtUs(l.p50)}** · **P99 ${fmtUs(l.p99)}** · P99.9 ${fmtUs(l.p999)} · ` +
    (r.hits !== undefined ? `hit rate ${fmtPct(ratio(r.hits, r.requests))} · ` : '') +
    `errors ${fmtInt(r.errors)} (${fmtPct(ratio(r.errors, r.requests), 2)})${r.clientBottleneck ? ' · **client-bound run**' : ''}`;
  const e = r.env;
  const meta =
    `${md(mode)} · ${fmtInt(r.requests)} requests in ${r.trials.length} trial(s) · Node ${md(e.node)} on ${md(e.cpu)} × ${e.cpus}` +
    `${e.redis ? ` · Redis ${md(e.redis)}` : ''}${e.postgres ? ` · Postgres ${md(e.postgres)}` : ''}${e.git ? ` · git ${md(e.git)}` : ''} · event-loop delay P99 ${fmtUs(r.eventLoopDelayUs.p99)}`;
  const tiers = mdTable(
    ['Tier', 'Kind', 'Lookups', 'Hits', 'Hit rate', 'Stale hits', 'Errors', 'P50 µs', 'P99 µs', 'P99.9 µs'],
    r.tiers.map((t) => [t.name, t.kind, fmtInt(t.lookups), fmtInt(t.hits), fmtPct(ratio(t.hits, t.lookups)), fmtInt(t.staleHits ?? 0), fmtInt(t.errors + (t.writeErrors ?? 0)), fmtLatency(t.latencyUs.p50), fmtLatency(t.latencyUs.p99), fmtLatency(t.latencyUs.p999)]),
    2,
  );
  const ops = mdTable(
    ['Op', 'Requests', 'P50 µs', 'P99 µs', 'P99.9 µs', 'Max µs'],
    Object.entries(r.ops).map(([op, o]) => [op, fmtInt(o.requests), fmtLatency(o.latencyUs.p50), fmtLatency(o.latencyUs.p99), fmtLatency(o.latencyUs.p999), fmtLatency(o.latencyUs.max)]),
  );
  const warnings = r.warnings.map((w) => `- ${md(w)}`).join('\n');
  return [`### llmcache bench · ${md(r.scenario.name)}`, headline, meta, tiers, ops, warnings ? `**Warnings**\n\n${warnings}` : ''].filter(Boolean).join('\n\n');
}

const RENDERERS = new Map<string, (r: AnyResult) => string>([
  ['simulate', (r) => simulateMarkdown(r as SimulateResult)],
  ['bench', (r) => benchMarkdown(r as BenchResult)],
]);

/** Render a simulate or bench result as Markdown. */
export function renderMarkdown(r: AnyResult): string {
  const render = RENDERERS.get(r.kind);
  if (!render) throw new Error(`no Markdown renderer for result kind ${JSON.stringify(r.kind)}`);
  return `${render(r)}\n`;
}
