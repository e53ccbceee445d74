/**
 * A view as ONE self-contained HTML page (inline CSS, inline SVG, no script, no external
 * resource): the heading, key-figure cards, then each section with its charts drawn and its tables.
 * Every text from a result is escaped (here and in html-kit.ts / svg.ts). Pure.
 */
import { assertNever } from '../model/results.js';
import { escapeHtml as esc } from './format.js';
import { htmlTable, kpis, page, section } from './html-kit.js';
import { barChart, latencyPlot, lineChart, percentileCurve, scatterChart } from './svg.js';
import type { Block, Chart, View } from './view.js';

function drawChart(c: Chart): string {
  switch (c.type) {
    case 'percentiles':
      return latencyPlot(
        c.id,
        c.series.map((s) => ({ label: s.label, points: percentileCurve(s.histogram, s.fields, c.scaleToUs) })),
        c.title,
        c.markers.map((m) => ({ percentile: m.percentile, us: m.value * c.scaleToUs, label: m.label })),
      );
    case 'bars':
      return barChart(c.id, c.title, c.groups, c.max, c.legend);
    case 'lines':
      return lineChart(c);
    case 'scatter':
      return scatterChart(c);
    default:
      return assertNever(c, 'chart type');
  }
}

function block(b: Block): string {
  switch (b.type) {
    case 'table':
      return htmlTable(b.head, b.rows, { textCols: b.textCols });
    case 'note':
      return `<p class="note">${esc(b.text)}</p>`;
    case 'warning':
      return `<p class="warn">${esc(b.text)}</p>`;
    case 'list':
      return `${b.title ? `<h3>${esc(b.title)}</h3>` : ''}<ul class="assumptions">${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'chart':
      return drawChart(b.chart);
    default:
      return assertNever(b, 'block type');
  }
}

/** Render a view as one self-contained HTML page. */
export function renderHtml(v: View): string {
  const status = v.status ? ` <span class="status ${esc(v.status.level)}">${esc(v.status.label)}</span>` : '';
  const body = [
    `<header><h1>${esc(v.title)}${status}</h1>\n${v.meta.map((m) => `<p>${esc(m)}</p>`).join('\n')}</header>`,
    v.kpis.length > 0 ? kpis(v.kpis) : '',
    ...v.alerts.map((a) => `<p class="warn">${esc(a)}</p>`),
    ...v.sections.map((s) => section(s.id, s.title, ...s.blocks.map(block))),
  ].filter(Boolean);
  return page(`llmcache ${v.command}: ${v.subject}`, body.join('\n'), v.schema);
}
