/**
 * Building blocks of the HTML report: the page shell with its inline CSS, KPI cards, escaped
 * tables and sections. Pure string builders; every cell and label is escaped here.
 */
import { escapeHtml as esc } from './format.js';
import type { Kpi } from './view.js';

/** Cards in a row. */
export function kpis(cards: Kpi[]): string {
  const items = cards.map(
    (c) => `<div class="kpi"><div class="kpi-label">${esc(c.label)}</div><div class="kpi-value">${esc(c.value)}</div>` +
      (c.note ? `<div class="kpi-note">${esc(c.note)}</div>` : '') + '</div>',
  );
  return `<div class="kpis">${items.join('')}</div>`;
}

/** A table with every cell escaped; columns after the first are numeric (right-aligned). */
export function htmlTable(head: string[], rows: string[][], opts: { textCols?: number; cls?: string } = {}): string {
  const textCols = opts.textCols ?? 1;
  const cell = (tag: string, v: string, i: number) => `<${tag}${i >= textCols ? ' class="num"' : ''}>${esc(v)}</${tag}>`;
  return (
    `<table${opts.cls ? ` class="${esc(opts.cls)}"` : ''}><thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

/** A titled section. */
export function section(id: string, title: string, ...content: string[]): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${content.join('\n')}\n</section>`;
}

const CSS = `
:root { color-scheme: light; --fg:#111827; --muted:#6b7280; --line:#e5e7eb; --bg:#f9fafb; --card:#fff; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:1100px; margin:0 auto; padding:24px 28px 48px; }
header h1 { font-size:24px; margin:0 0 4px; }
header p { margin:2px 0; color:var(--muted); }
h2 { font-size:17px; margin:0 0 12px; }
h3 { font-size:14px; margin:14px 0 4px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin:18px 0; overflow-x:auto; }
.kpis { display:grid; grid-template-columns:repeat(auto-fit,minmax(128px,1fr)); gap:12px; margin:18px 0; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.kpi-label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.kpi-value { font-size:24px; font-weight:650; margin-top:2px; font-variant-numeric:tabular-nums; }
.kpi-note { color:var(--muted); font-size:12px; }
table { border-collapse:collapse; width:100%; margin:10px 0 4px; font-variant-numeric:tabular-nums; }
th, td { padding:5px 10px; border-bottom:1px solid var(--line); text-align:left; white-space:nowrap; }
th { color:var(--muted); font-weight:600; font-size:12px; }
td.num, th.num { text-align:right; }
tbody tr:last-child td { border-bottom:none; }
.note, .assumptions { color:var(--muted); font-size:13px; }
.assumptions li { margin:2px 0; }
.warn { color:#b91c1c; font-weight:600; }
svg.chart { width:100%; height:auto; display:block; }
svg .chart-title { font-size:15px; font-weight:600; fill:var(--fg); }
svg .grid { stroke:#e5e7eb; stroke-width:1; }
svg .tick, svg .legend, svg .bar-value { font-size:12px; fill:#374151; }
svg .bar-value.inside { fill:#fff; font-weight:600; }
svg .marker { fill:#fff; stroke:#111827; stroke-width:1.5; }
svg .marker-label { font-size:12px; font-weight:600; fill:#111827; paint-order:stroke; stroke:#fff; stroke-width:4px; stroke-linejoin:round; }
svg .axis-label { font-size:12px; fill:var(--muted); }
svg .bar-label { font-size:13px; fill:var(--fg); }
svg .bar.hit-rate { fill:#2563eb; } svg .bar.share { fill:#93c5fd; }
svg .bar.baseline { fill:#9ca3af; } svg .bar.cached { fill:#16a34a; }
svg .bar.stale { fill:#dc2626; } svg .bar.fresh { fill:#fca5a5; }
svg .curve-point { stroke:#fff; stroke-width:1; }
svg .front-point { stroke:#111827; stroke-width:1.5; }
svg .other-point { fill:#9ca3af; }
svg .recommended { fill:none; stroke:#16a34a; stroke-width:3; }
svg .budget { stroke:#dc2626; stroke-width:1.2; stroke-dasharray:6 4; }
svg .point-label { font-size:11px; fill:#374151; paint-order:stroke; stroke:#fff; stroke-width:3px; stroke-linejoin:round; }
.status { font-size:15px; padding:2px 10px; border-radius:999px; vertical-align:middle; color:#fff; }
.status.pass { background:#16a34a; } .status.warn { background:#d97706; } .status.unsure { background:#6b7280; } .status.fail { background:#dc2626; }
footer { color:var(--muted); font-size:12px; margin-top:24px; }
`;

/** The page shell around a body. */
export function page(title: string, body: string, schema: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
<footer>Generated by llmcache from a ${esc(schema)} result. Self-contained page: no script, no external resource.</footer>
</main>
</body>
</html>
`;
}
