/**
 * A view as Markdown fit for a pull-request comment or a GitHub job summary: the heading, the key
 * figures in bold, then compact GitHub tables; folded sections go in <details>. Charts are left
 * out (their data is in the tables). Every text from a result is escaped. Pure.
 */
import { assertNever } from '../model/results.js';
import { escapeMarkdown as md } from './format.js';
import type { Block, View } from './view.js';

/** A GitHub table; every cell is escaped; columns from `textCols` on are right-aligned. */
export function mdTable(head: string[], rows: string[][], textCols = 1): string {
  const line = (cells: string[]) => `| ${cells.map(md).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (i < textCols ? ' :-- ' : ' --: ')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

const ICON = { pass: ':white_check_mark:', warn: ':warning:', unsure: ':grey_question:', fail: ':x:' } as const;

function block(b: Block): string | undefined {
  switch (b.type) {
    case 'table':
      return mdTable(b.head, b.rows, b.textCols);
    case 'note':
      return md(b.text);
    case 'warning':
      return `> **Warning:** ${md(b.text)}`;
    case 'list':
      return [...(b.title ? [`**${md(b.title)}**`, ''] : []), ...b.items.map((i) => `- ${md(i)}`)].join('\n');
    case 'chart':
      return undefined;
    default:
      return assertNever(b, 'block type');
  }
}

/** Render a view as Markdown. */
export function renderMarkdown(v: View): string {
  const icon = v.status ? `${ICON[v.status.level]} ` : '';
  const parts = [`### ${icon}llmcache ${md(v.command)} · ${md(v.subject)}${v.status ? `: ${md(v.status.label)}` : ''}`];
  if (v.kpis.length > 0) parts.push(v.kpis.map((k) => `**${md(k.label)} ${md(k.value)}**${k.note ? ` (${md(k.note)})` : ''}`).join(' · '));
  parts.push(...v.meta.map(md));
  if (v.alerts.length > 0) parts.push(v.alerts.map((a) => `- ${md(a)}`).join('\n'));
  for (const s of v.sections) {
    const blocks = s.blocks.map(block).filter((x): x is string => x !== undefined);
    if (blocks.length === 0) continue;
    parts.push(s.fold ? `<details><summary>${md(s.title)}</summary>\n\n${blocks.join('\n\n')}\n\n</details>` : `#### ${md(s.title)}\n\n${blocks.join('\n\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}
