/** Human table of a sweep result: a pure function (result) => string. */
import Table from 'cli-table3';
import type { SweepResult } from './pareto.js';

const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;
const usd = (x: number) => `$${x.toFixed(2)}`;

export function renderSweep(r: SweepResult): string {
  const names = Object.keys(r.runs[0]?.params ?? {});
  const table = new Table({
    head: [...names, 'USD/month', 'saved', 'hit rate', 'sem. hits', 'false hits', 'false-hit rate', 'stale rate', 'leaks', ''],
    style: { head: [], border: [] },
  });
  for (const run of r.runs) {
    const o = run.objectives;
    const s = run.result.semantic;
    const marks = [r.pareto.includes(run) ? 'pareto' : '', r.recommended === run ? 'RECOMMENDED' : ''].filter(Boolean).join(' ');
    table.push([
      ...names.map((n) => String(run.params[n])),
      usd(o.monthlyUsd),
      `${run.result.cost.savingsPct.toFixed(1)}%`,
      pct(run.result.hitRate, 1),
      s ? String(s.hits) : '-',
      s ? String(s.falseHits) : '-',
      pct(o.falseHitRate),
      pct(o.staleRate),
      String(o.leaks),
      marks,
    ]);
  }
  const lines = [
    `sweep of ${r.scenario.name}: ${r.runs.length} configuration(s) on ${r.threads} thread(s) in ${(r.elapsedMs / 1000).toFixed(2)} s`,
    table.toString(),
    'false-hit rate = semantic false hits / semantic-tier hits; stale rate = stale hits / all cache hits; Pareto front minimises USD/month, false-hit rate and stale rate.',
  ];
  const b = `budgets: false-hit rate <= ${pct(r.budgets.maxFalseHit)}, stale rate <= ${pct(r.budgets.maxStale)}, no leaks`;
  if (r.recommended) {
    const p = Object.entries(r.recommended.params).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`recommended (cheapest within ${b}): ${p} at ${usd(r.recommended.objectives.monthlyUsd)}/month`);
  } else lines.push(`no configuration meets ${b}`);
  return lines.join('\n') + '\n';
}
