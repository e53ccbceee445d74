/**
 * A view as plain text for a terminal: short section titles, box-drawn tables (no colour), notes
 * wrapped to 100 columns. Charts are left out: their data is in the section's tables. Untrusted
 * text is made one-line (control characters, ANSI escapes included, become spaces). Pure.
 */
import { assertNever } from '../model/results.js';
import { oneLine, textTable, wrap, type Align } from './format.js';
import type { Block, View } from './view.js';

const WIDTH = 100;

function block(b: Block): string | undefined {
  switch (b.type) {
    case 'table': {
      const textCols = b.textCols ?? 1;
      return textTable(b.head, b.rows, b.head.map((_, i): Align => (i < textCols ? 'left' : 'right')));
    }
    case 'note':
      return wrap(b.text, WIDTH, '  ');
    case 'warning':
      return wrap(`WARNING: ${b.text}`, WIDTH, '  ');
    case 'list':
      return [...(b.title ? [`${oneLine(b.title)}:`] : []), ...b.items.map((i) => `  - ${wrap(i, WIDTH - 4).replace(/\n/g, '\n    ')}`)].join('\n');
    case 'chart':
      return undefined;
    default:
      return assertNever(b, 'block type');
  }
}

/** Render a view as text. */
export function renderText(v: View): string {
  const head = [
    `llmcache ${v.command} · ${oneLine(v.subject)}${v.status ? `: ${v.status.label}` : ''}`,
    ...v.meta.map((m) => wrap(m, WIDTH, '  ')),
  ];
  if (v.kpis.length > 0) head.push(wrap(v.kpis.map((k) => `${k.label} ${k.value}${k.note ? ` (${k.note})` : ''}`).join(' · '), WIDTH, '  '));
  const parts = [head.join('\n')];
  if (v.alerts.length > 0) parts.push(v.alerts.map((a) => `! ${wrap(a, WIDTH - 2).replace(/\n/g, '\n  ')}`).join('\n'));
  for (const s of v.sections) {
    const blocks = s.blocks.map(block).filter((x): x is string => x !== undefined);
    if (blocks.length > 0) parts.push(`${oneLine(s.title)}\n${blocks.join('\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}
