/**
 * Renderers of a gate verdict: a plain-text table for the terminal and Markdown for a pull-request
 * comment or $GITHUB_STEP_SUMMARY. Pure functions of the verdict.
 */
import type { GateMetric, GateStatus, GateVerdict } from '../gate.js';
import type { ExactDifference } from '../stats/exact-diff.js';
import { escapeMarkdown, fmtInt, fmtLatency, fmtPct, oneLine, textTable } from './format.js';

const LABEL: Record<GateStatus, string> = { pass: 'PASS', warn: 'WARN', unsure: 'COULD NOT TELL', fail: 'FAIL' };
const ICON: Record<GateStatus, string> = { pass: ':white_check_mark:', warn: ':warning:', unsure: ':grey_question:', fail: ':x:' };

/** "+10.3%", "-2.0%", "n/a". */
export function fmtChange(change: number): string {
  if (!Number.isFinite(change)) return change > 0 ? '+inf' : 'n/a';
  return `${change >= 0 ? '+' : ''}${fmtPct(change)}`;
}

/** A p-value with two significant digits, "<0.0001" below that. */
export function fmtP(p: number): string {
  return p < 0.0001 ? '<0.0001' : Number(p.toPrecision(2)).toString();
}

/** "end-to-end", "L2 lookup" or "score request" (one workload op, end to end). */
function metricLabel(m: GateMetric): string {
  if (m.opName !== undefined) return `${m.opName} request`;
  return m.tier === undefined ? 'end-to-end' : `${m.tier} lookup`;
}

function headline(v: GateVerdict): string {
  const o = v.options;
  const trials = v.metrics[0]?.trials;
  const method =
    v.kind === 'simulate'
      ? 'deterministic outputs compared exactly (same seed, same workload)'
      : `${o.paired ? `one-sided Wilcoxon signed-rank over ${trials?.baseline ?? '?'} paired trials` : `one-sided Mann-Whitney U over ${trials?.baseline ?? '?'} vs ${trials?.current ?? '?'} trials`}${v.correction && v.correction.metrics > 1 ? `, p Holm-adjusted over ${v.correction.metrics} metrics` : ''};\nfail if p < ${o.alpha} and slower by > ${fmtPct(o.threshold)}, warn above ${fmtPct(o.warn)}${o.latencyWarnOnly ? ' (latency advisory only)' : ''}`;
  return `${method}`;
}

function failing(v: GateVerdict): string[] {
  const out = v.metrics.filter((m) => m.status !== 'pass').map((m) => `${LABEL[m.status]}: ${m.reason}`);
  for (const d of v.exact?.differences ?? []) out.push(`${d.path}: ${String(d.baseline)} -> ${String(d.current)}`);
  return out;
}

function metricRow(m: GateMetric): string[] {
  return [
    metricLabel(m),
    m.stat,
    fmtLatency(m.baseline),
    fmtLatency(m.current),
    fmtChange(m.change),
    fmtP(m.pAdjusted ?? m.pValue),
    fmtPct(m.confidence),
    fmtInt(m.minSamples),
    m.note ? `${LABEL[m.status]} (${m.note})` : LABEL[m.status],
  ];
}

const HEAD = ['metric', 'stat', 'baseline µs', 'current µs', 'change', 'p', 'conf.', 'n/trial', 'status'];

function exactRow(d: ExactDifference): string[] {
  return [d.path, String(d.baseline), String(d.current)];
}

/** Terminal output: headline, latency table, exact differences, warnings. */
export function renderGateTable(v: GateVerdict): string {
  const parts = [`llmcache gate - scenario "${oneLine(v.scenario.name)}" (${oneLine(v.scenario.fingerprint)}): ${LABEL[v.verdict]}`, headline(v)];
  if (v.metrics.length > 0) {
    parts.push(textTable(HEAD, v.metrics.map(metricRow), ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left']));
    parts.push('baseline/current: median over trials of each trial\'s percentile (µs)\np: Holm-adjusted over the metrics; conf.: 1 - p, how sure the gate is that current is slower\nn/trial: fewest samples in any one trial');
  }
  if (v.exact) {
    parts.push(`${fmtInt(v.exact.compared)} deterministic figures compared, ${fmtInt(v.exact.differences.length)} differ`);
    if (v.exact.differences.length > 0) parts.push(textTable(['figure', 'baseline', 'current'], v.exact.differences.map(exactRow), ['left']));
  }
  if (v.warnings.length > 0) parts.push(['warnings:', ...v.warnings.map((w) => `  - ${oneLine(w)}`)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i < 2 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** Markdown for a pull-request comment or the GitHub job summary. */
export function renderGateMarkdown(v: GateVerdict): string {
  const parts = [
    `### ${ICON[v.verdict]} llmcache gate: ${LABEL[v.verdict]} (scenario \`${escapeMarkdown(v.scenario.name)}\`)`,
    escapeMarkdown(headline(v)),
  ];
  const bad = failing(v);
  if (bad.length > 0) parts.push(bad.map((b) => `- ${escapeMarkdown(b)}`).join('\n'));
  if (v.metrics.length > 0) {
    const rows = v.metrics.map((m) => metricRow(m).map(escapeMarkdown));
    parts.push(`<details${v.verdict === 'pass' ? '' : ' open'}><summary>latency by metric (µs)</summary>\n\n${mdTable(HEAD, rows)}\n\n</details>`);
  }
  if (v.exact) {
    parts.push(`${fmtInt(v.exact.compared)} deterministic figures compared exactly, ${fmtInt(v.exact.differences.length)} differ.`);
    if (v.exact.differences.length > 0) parts.push(mdTable(['figure', 'baseline', 'current'], v.exact.differences.map((d) => exactRow(d).map(escapeMarkdown))));
  }
  if (v.warnings.length > 0) parts.push(['**Warnings**', '', ...v.warnings.map((w) => `- ${escapeMarkdown(w)}`)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}
