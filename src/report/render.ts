/**
 * One entry point for every report: `renderResult(result, format)` picks the renderer for the
 * format and the result's kind from registry maps (no if/else chains). Pure.
 */
import type { AnyResult, BenchResult, SimulateResult } from './types.js';
import { renderSimulateTable } from './simulate-table.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { fmtInt, fmtLatency, fmtPct, fmtUs, oneLine, ratio, textTable } from './format.js';

/** Output formats of `llmcache report`. */
export const REPORT_FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

type Renderer = (r: AnyResult) => string;

/**
 * Interim bench table until src/report/bench-table.ts (owned by the bench engineer) lands:
 * end-to-end latency, per-tier hits and latency, warnings.
 */
export function renderBenchTableInterim(r: BenchResult): string {
  const l = r.latencyUs;
  const head = `llmcache bench - scenario "${oneLine(r.scenario.name)}": ${fmtInt(r.requests)} requests, ${fmtInt(r.throughput)} req/s, errors ${fmtInt(r.errors)}`;
  const lat = textTable(
    ['Latency (µs)', 'P50', 'P95', 'P99', 'P99.9', 'Max'],
    [['end to end', ...[l.p50, l.p95, l.p99, l.p999, l.max].map(fmtLatency)], ...r.tiers.map((t) => [`${t.name} lookup`, ...[t.latencyUs.p50, t.latencyUs.p95, t.latencyUs.p99, t.latencyUs.p999, t.latencyUs.max].map(fmtLatency)])],
  );
  const tiers = textTable(['Tier', 'Kind', 'Lookups', 'Hits', 'Hit rate', 'Errors'], r.tiers.map((t) => [t.name, t.kind, fmtInt(t.lookups), fmtInt(t.hits), fmtPct(ratio(t.hits, t.lookups)), fmtInt(t.errors)]), ['left', 'left']);
  const notes = [`Event-loop delay P99 ${fmtUs(r.eventLoopDelayUs.p99)}${r.clientBottleneck ? ' - the client was the bottleneck' : ''}.`, ...r.warnings.map((w) => `Warning: ${oneLine(w)}`)];
  return `${head}\n\n${lat}\n\n${tiers}\n${notes.join('\n')}\n`;
}

const TABLES = new Map<string, Renderer>([
  ['simulate', (r) => renderSimulateTable(r as SimulateResult)],
  ['bench', (r) => renderBenchTableInterim(r as BenchResult)],
]);

const FORMATS = new Map<ReportFormat, Renderer>([
  ['table', (r) => {
    const render = TABLES.get(r.kind);
    if (!render) throw new Error(`no table renderer for result kind ${JSON.stringify(r.kind)}`);
    return render(r);
  }],
  ['json', (r) => `${JSON.stringify(r, null, 2)}\n`],
  ['markdown', renderMarkdown],
  ['html', renderHtml],
]);

/** Render a simulate or bench result in one of REPORT_FORMATS. */
export function renderResult(result: AnyResult, format: ReportFormat): string {
  const render = FORMATS.get(format);
  if (!render) throw new Error(`unknown report format ${JSON.stringify(format)}; expected one of ${REPORT_FORMATS.join(', ')}`);
  return render(result);
}
