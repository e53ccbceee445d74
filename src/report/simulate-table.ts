/**
 * The human-readable output of `llmcache simulate`: plain text tables (no colour) that fit a
 * 100-column terminal. A pure function of the result.
 */
import type { SimulateResult } from '../model/results.js';
import {
  fmtDuration,
  fmtInt,
  fmtLatency,
  fmtPct,
  fmtPctValue,
  fmtUsd,
  oneLine,
  ratio,
  memoryServers,
  textTable,
  wrap,
  costCaption,
  staleHeadline,
  STALENESS_NOTE,
} from './format.js';
import { BILL_HEAD, BILL_OP_HEAD, billOpRows, billRows, billSummary, promptCacheSummary, provenanceLines } from './bills.js';

/** Render a simulate result as text tables with short section titles. */
export function renderSimulateTable(r: SimulateResult): string {
  const parts = [
    headline(r),
    tiersSection(r),
    latencySection(r),
    llmSection(r),
    stalenessSection(r),
    memorySection(r),
    semanticSection(r),
    costSection(r),
    billsSection(r),
  ];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

function headline(r: SimulateResult): string {
  const w = r.workload;
  const lines = [
    `llmcache simulate - scenario "${oneLine(r.scenario.name)}" (${oneLine(r.scenario.fingerprint)}), seed ${r.seed}`,
    `${fmtInt(w.leads)} leads x ${w.days} days, ${w.workers} worker(s) (${oneLine(w.routing)}), ` +
      `invalidation: ${oneLine(w.invalidation)}`,
    `${fmtInt(r.requests)} requests (${fmtInt(r.llmRequests)} LLM ops, ${fmtInt(r.memoryReads)} memory reads) ` +
      `from ${fmtInt(w.messages)} messages; ${fmtInt(w.stateChanges)} state changes, ` +
      `${fmtInt(r.invalidations)} invalidations`,
  ];
  return lines.map((l) => wrap(l, 100, '  ')).join('\n');
}

function tiersSection(r: SimulateResult): string {
  const rows = r.tiers.map((t) => [
    t.name,
    `${t.kind}/${t.scope}${t.match === 'semantic' ? '/sem' : ''}`,
    fmtInt(t.lookups),
    fmtInt(t.hits),
    fmtPct(t.hitRate),
    fmtPct(t.share),
    fmtInt(t.staleHits),
    fmtInt(t.evictions),
  ]);
  rows.push(['all', '', fmtInt(r.requests), fmtInt(r.hits), fmtPct(r.hitRate), fmtPct(r.hitRate), fmtInt(r.staleness.staleHits), '']);
  const table = textTable(
    ['Tier', 'Kind/scope', 'Lookups', 'Hits', 'Hit rate', 'Share', 'Stale hits', 'Evictions'],
    rows,
    ['left', 'left'],
  );
  const sor = r.tiers.filter((t) => t.systemOfRecordReads > 0);
  const notes = [
    `Overall hit rate ${fmtPct(r.hitRate)} of all requests; LLM hit rate ${fmtPct(r.llmHitRate)} of LLM ops.`,
    'Hit rate = hits / lookups of that tier; share = hits / all requests.',
    ...sor.map((t) => `${oneLine(t.name)} also served ${fmtInt(t.systemOfRecordReads)} memory reads as the system of record (not cache hits).`),
  ];
  return `Tiers\n${table}\n${notes.join('\n')}`;
}

function latencySection(r: SimulateResult): string {
  const l = r.latencyMs;
  const table = textTable(
    ['End-to-end latency (ms)', 'P50', 'P95', 'P99', 'P99.9', 'Max', 'Mean'],
    [['all requests', fmtLatency(l.p50), fmtLatency(l.p95), fmtLatency(l.p99), fmtLatency(l.p999), fmtLatency(l.max), fmtLatency(l.mean)]],
  );
  return `Latency\n${table}`;
}

function llmSection(r: SimulateResult): string {
  const misses = r.llmCalls - r.bypassed;
  const table = textTable(
    ['LLM ops', 'Count', 'Of LLM ops'],
    [
      ['requested', fmtInt(r.llmRequests), fmtPct(1)],
      ['served from cache', fmtInt(r.llmRequests - r.llmCalls), fmtPct(ratio(r.llmRequests - r.llmCalls, r.llmRequests))],
      ['cache misses -> LLM', fmtInt(misses), fmtPct(ratio(misses, r.llmRequests))],
      ['bypassed: streaming', fmtInt(r.bypassedStream), fmtPct(ratio(r.bypassedStream, r.llmRequests))],
      ['bypassed: tool use', fmtInt(r.bypassedToolUse), fmtPct(ratio(r.bypassedToolUse, r.llmRequests))],
      ['LLM calls (misses + bypasses)', fmtInt(r.llmCalls), fmtPct(ratio(r.llmCalls, r.llmRequests))],
    ],
  );
  return `LLM calls\n${table}`;
}

function stalenessSection(r: SimulateResult): string {
  const s = r.staleness;
  const ops = Object.entries(s.byOp);
  if (ops.length === 0) return `Staleness: ${fmtInt(s.staleHits)} stale hits (${fmtPct(s.staleRate, 2)} of hits).`;
  const rows = ops.map(([op, c]) => [
    op,
    fmtInt(c.hits),
    fmtInt(c.staleHits),
    fmtPct(c.staleRate, 2),
    c.staleHits > 0 ? fmtDuration(c.ageMs.p50) : '-',
    c.staleHits > 0 ? fmtDuration(c.ageMs.p99) : '-',
    c.staleHits > 0 ? fmtDuration(c.ageMs.max) : '-',
  ]);
  rows.push(['all classes', fmtInt(r.hits), fmtInt(s.staleHits), fmtPct(s.staleRate, 2), '', '', '']);
  const table = textTable(['Key class', 'Hits', 'Stale hits', 'Stale rate', 'Age P50', 'Age P99', 'Age max'], rows);
  return `Staleness by key class\n${table}\n${wrap(`${staleHeadline(s)}.`)}\n${wrap(STALENESS_NOTE)}`;
}

function memorySection(r: SimulateResult): string {
  const depths = Object.entries(r.memory);
  if (depths.length === 0) return '';
  const servers = memoryServers(r);
  const rows = depths.map(([depth, d]) => [
    depth,
    fmtInt(d.reads),
    fmtPct(ratio(d.reads, r.memoryReads)),
    ...servers.map((s) => {
      const n = d.servedBy[s] ?? 0;
      return n === 0 ? '-' : `${fmtInt(n)} (${fmtPct(ratio(n, d.reads), 0)})`;
    }),
  ]);
  const table = textTable(['Depth', 'Reads', 'Mix', ...servers.map((s) => `by ${s}`)], rows);
  return `Memory reads by depth and serving tier\n${table}`;
}

function semanticSection(r: SimulateResult): string {
  const s = r.semantic;
  if (!s) return '';
  const table = textTable(
    ['Semantic', 'Hits', 'Correct', 'False', 'Stale', 'Leaks', 'Precision', 'Recall', 'Embeddings'],
    [['', fmtInt(s.hits), fmtInt(s.correctHits), fmtInt(s.falseHits), fmtInt(s.staleHits), fmtInt(s.leaks), fmtPct(s.precision), fmtPct(s.recall), fmtInt(s.embeddingCalls)]],
  );
  const warn = s.leaks > 0 ? `\nWARNING: ${fmtInt(s.leaks)} semantic hits crossed a contact or tenant boundary (data leak).` : '';
  return `Semantic tier\n${table}${warn}`;
}

function costSection(r: SimulateResult): string {
  const c = r.cost;
  const ops = Object.entries(c.byOp);
  const rows = ops.map(([op, o]) => [op, fmtInt(o.baselineCalls), fmtInt(o.calls), fmtUsd(o.baselineMonthlyUsd), fmtUsd(o.monthlyUsd)]);
  rows.push(['total (incl. embeddings, infra)', fmtInt(r.llmRequests), fmtInt(r.llmCalls), fmtUsd(c.baselineMonthlyUsd), fmtUsd(c.monthlyUsd)]);
  const table = textTable(['Op', 'Calls no cache', 'Calls cached', '$/mo no cache', '$/mo cached'], rows);
  const summary =
    `Baseline ${fmtUsd(c.baselineMonthlyUsd)}/month -> cached ${fmtUsd(c.monthlyUsd)}/month: ` +
    `savings ${fmtPctValue(c.savingsPct)} (${fmtUsd(c.baselineMonthlyUsd - c.monthlyUsd)}/month).`;
  const window =
    `Window ${c.windowDays} days: baseline ${fmtUsd(c.baselineWindowUsd)}, LLM ${fmtUsd(c.llmWindowUsd)}, ` +
    `embeddings ${fmtUsd(c.embeddingWindowUsd)}; infrastructure ${fmtUsd(c.infraMonthlyUsd)}/month. ` +
    `Tokens in ${fmtInt(c.tokens.baselineIn)} -> ${fmtInt(c.tokens.paidIn)}, out ${fmtInt(c.tokens.baselineOut)} -> ${fmtInt(c.tokens.paidOut)}.`;
  const assumptions = c.assumptions.length ? `\nAssumptions:\n${c.assumptions.map((a) => `  - ${wrap(a, 96).replace(/\n/g, '\n    ')}`).join('\n')}` : '';
  return `Cost (${costCaption(c.windowDays)})\n${table}\n${wrap(summary)}\n${wrap(window)}${assumptions}`;
}

function billsSection(r: SimulateResult): string {
  const b = r.cost.bills;
  if (!b) return '';
  const notes = [billSummary(b), promptCacheSummary(r), ...provenanceLines(r)].filter(Boolean).map((l) => wrap(l));
  return `Bills\n${textTable(BILL_HEAD, billRows(b))}\n${textTable(BILL_OP_HEAD, billOpRows(b))}\n${notes.join('\n')}`;
}
