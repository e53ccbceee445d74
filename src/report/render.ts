/**
 * One entry point for every report: `renderResult(result, format)` builds the result's view
 * (views.ts) and writes it in the format; every command's table output and `llmcache report` go
 * through here. Pure.
 */
import { assertNever, type Result } from '../model/results.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { viewOf } from './views.js';

/** Output formats of `llmcache report`. */
export const REPORT_FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Render any result in one of REPORT_FORMATS. */
export function renderResult(result: Result, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return renderTable(result);
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(viewOf(result));
    case 'html':
      return renderHtml(viewOf(result));
    default:
      return assertNever(format, 'report format');
  }
}
