/**
 * The view of a gate verdict: the verdict, what failed and why, the per-metric verdict table and
 * the exact differences of deterministic figures. Pure: verdict -> View.
 */
import type { GateMetric, GateStatus, GateVerdict } from '../../model/results.js';
import { fmtInt, fmtLatency, fmtPct } from '../format.js';
import { list, note, table, type Section, type View } from '../view.js';
import { confidencePct } from '../../stats/confidence.js';

/** How each status reads in a report. */
export const GATE_LABEL: Record<GateStatus, string> = { pass: 'PASS', warn: 'WARN', unsure: 'COULD NOT TELL', fail: 'FAIL' };

/** "+10.3%", "-2.0%", "n/a". */
export function fmtChange(change: number): string {
  if (!Number.isFinite(change)) return change > 0 ? '+inf' : 'n/a';
  return `${change >= 0 ? '+' : ''}${fmtPct(change)}`;
}

/** A p-value with two significant digits, "<0.0001" below that. */
export function fmtP(p: number): string {
  return p < 0.0001 ? '<0.0001' : Number(p.toPrecision(2)).toString();
}

/** How the gate judged, in one sentence. */
function method(v: GateVerdict): string {
  const o = v.options;
  const trials = v.metrics[0]?.trials;
  if (v.kind === 'simulate') return 'Deterministic outputs compared exactly (same seed, same workload).';
  const pairedTest = o.pairedTest === 'signed-rank' ? 'Wilcoxon signed-rank test' : 'sign test (slower pairs counted)';
  const test = o.paired
    ? `one-sided ${pairedTest} over ${trials?.baseline ?? '?'} paired trials`
    : `one-sided Mann-Whitney U over ${trials?.baseline ?? '?'} vs ${trials?.current ?? '?'} trials`;
  const how = v.correction?.method === 'westfall-young' ? 'Westfall-Young-adjusted (sign flips of whole pairs)' : 'Holm-adjusted';
  const adjusted = v.correction && v.correction.metrics > 1 ? `, p ${how} over ${v.correction.metrics} metrics` : '';
  return `${test}${adjusted}; fail if p < ${o.alpha} and slower by > ${fmtPct(o.threshold)}, warn above ${fmtPct(o.warn)}${o.latencyWarnOnly ? ' (latency advisory only)' : ''}.`;
}

function metricRow(m: GateMetric): string[] {
  return [
    m.opName !== undefined ? `${m.opName} request` : m.tier === undefined ? 'end-to-end' : `${m.tier} lookup`,
    m.stat,
    fmtLatency(m.baseline),
    fmtLatency(m.current),
    fmtChange(m.change),
    fmtP(m.pAdjusted ?? m.pValue),
    `${confidencePct(1 - m.confidence)}%`,
    fmtInt(m.minSamples),
    m.note ? `${GATE_LABEL[m.status]} (${m.note})` : GATE_LABEL[m.status],
  ];
}

/** What did not pass, one line each: the metrics' reasons and the exact differences. */
export function gateFindings(v: GateVerdict): string[] {
  const out = v.metrics.filter((m) => m.status !== 'pass').map((m) => `${GATE_LABEL[m.status]}: ${m.reason}`);
  for (const d of v.exact?.differences ?? []) out.push(`${d.path}: ${String(d.baseline)} → ${String(d.current)}`);
  return out;
}

export function gateView(v: GateVerdict): View {
  const failing = v.metrics.filter((m) => m.status === 'fail').length;
  const sections: Section[] = [];
  if (v.metrics.length > 0) {
    sections.push({
      id: 'verdict',
      title: 'Latency by metric (µs)',
      fold: v.verdict === 'pass',
      blocks: [
        table(['Metric', 'Stat', 'Baseline µs', 'Current µs', 'Change', 'p', 'Conf.', 'n/trial', 'Status'], v.metrics.map(metricRow), 2),
        note("Baseline / current: the median over trials of each trial's percentile (µs). p: adjusted over the metrics (method above); conf.: 1 − p, how sure the gate is that current is slower at all; n/trial: the fewest samples in any one trial."),
      ],
    });
  }
  if (v.exact) {
    sections.push({
      id: 'exact',
      title: 'Deterministic figures',
      blocks: [
        note(`${fmtInt(v.exact.compared)} deterministic figures compared exactly, ${fmtInt(v.exact.differences.length)} differ.`),
        ...(v.exact.differences.length > 0 ? [table(['Figure', 'Baseline', 'Current'], v.exact.differences.map((d) => [d.path, String(d.baseline), String(d.current)]))] : []),
      ],
    });
  }
  if (v.warnings.length > 0) sections.push({ id: 'warnings', title: 'Warnings', blocks: list(v.warnings) });
  return {
    command: 'gate',
    subject: v.scenario.name,
    title: `Regression gate: ${v.scenario.name}`,
    status: { level: v.verdict, label: GATE_LABEL[v.verdict] },
    meta: [`${v.kind} results of scenario ${v.scenario.fingerprint}: ${method(v)}`, ...(v.baselineUpdated ? [`Baseline ${v.baselineUpdated} updated.`] : [])],
    kpis: [
      { label: 'Verdict', value: GATE_LABEL[v.verdict] },
      ...(v.metrics.length > 0 ? [{ label: 'Metrics', value: fmtInt(v.metrics.length), note: `${fmtInt(failing)} failing` }] : []),
      ...(v.exact ? [{ label: 'Exact figures', value: fmtInt(v.exact.compared), note: `${fmtInt(v.exact.differences.length)} differ` }] : []),
    ],
    alerts: gateFindings(v),
    sections,
    schema: v.schema,
  };
}
