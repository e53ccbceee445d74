/**
 * One entry point for every report: `renderResult(result, format)` picks the renderer for the
 * format and the result's kind from registry maps (no if/else chains). Pure.
 */
import type { AnyResult, BenchResult, SimulateResult } from '../model/results.js';
import { renderSimulateTable } from './simulate-table.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { renderBenchTable } from './bench-table.js';

/** Output formats of `llmcache report`. */
export const REPORT_FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

type Renderer = (r: AnyResult) => string;

const TABLES = new Map<string, Renderer>([
  ['simulate', (r) => renderSimulateTable(r as SimulateResult)],
  ['bench', (r) => renderBenchTable(r as BenchResult)],
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
