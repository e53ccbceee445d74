/** Human table of a sweep result: a pure function (result) => string. */
import Table from 'cli-table3';
import { fmtDuration, fmtPct, fmtPctValue, fmtUsd } from '../report/format.js';
import { formatPoint } from './grid.js';
import type { SweepResult } from './pareto.js';

export function renderSweep(r: SweepResult): string {
  const names = Object.keys(r.runs[0]?.params ?? {});
  const classes = Object.keys(r.runs[0]?.classes ?? {});
  const classHead = classes.flatMap((c) => [`${c} work saved`, `${c} stale`, `${c} age p50/p99`]);
  const table = new Table({
    head: [...names, 'USD/month', 'saved', 'LLM bill w/ prompt cache', 'hit rate', 'sem. hits', 'false hits', 'false-hit rate', 'stale rate', 'leaks', ...classHead, ''],
    style: { head: [], border: [] },
  });
  for (const run of r.runs) {
    const o = run.objectives;
    const s = run.result.semantic;
    const marks = [r.pareto.includes(run) ? 'pareto' : '', r.recommended === run ? 'RECOMMENDED' : ''].filter(Boolean).join(' ');
    table.push([
      ...names.map((n) => String(run.params[n])),
      fmtUsd(o.monthlyUsd),
      fmtPctValue(run.result.cost.savingsPct),
      run.result.cost.bills ? fmtUsd(run.result.cost.bills.stack.monthlyUsd) : '-',
      fmtPct(run.result.hitRate),
      s ? String(s.hits) : '-',
      s ? String(s.falseHits) : '-',
      fmtPct(o.falseHitRate, 2),
      fmtPct(o.staleRate, 2),
      String(o.leaks),
      ...classes.flatMap((c) => {
        const k = run.classes![c]!;
        return [fmtPct(k.workSaved), fmtPct(k.staleRate, 2), k.ageMs ? `${fmtDuration(k.ageMs.p50)} / ${fmtDuration(k.ageMs.p99)}` : '-'];
      }),
      marks,
    ]);
  }
  const lines = [
    `sweep of ${[...new Set(r.runs.map((x) => x.result.scenario.name))].join(', ')}: ${r.runs.length} configuration(s) on ${r.threads} thread(s) in ${(r.elapsedMs / 1000).toFixed(2)} s`,
    table.toString(),
    'LLM bill w/ prompt cache = the LLM API bill of the tiers + the provider prompt cache (simulate --json cost.bills.stack); USD/month prices LLM calls without it.',
    'false-hit rate = semantic false hits / semantic-tier hits; stale rate = stale hits / all cache hits; Pareto front minimises USD/month, false-hit rate and stale rate.',
    ...(classes.length > 0 ? ['work saved = 1 - spend / spend without cache over the class and its components (token-weighted effective hit rate); age = age of what was served.'] : []),
  ];
  const b = `budgets: false-hit rate <= ${fmtPct(r.budgets.maxFalseHit, 2)}, stale rate <= ${fmtPct(r.budgets.maxStale, 2)}, no leaks`;
  if (r.recommended) {
    lines.push(`recommended (cheapest within ${b}): ${formatPoint(r.recommended.params)} at ${fmtUsd(r.recommended.objectives.monthlyUsd)}/month`);
  } else lines.push(`no configuration meets ${b}`);
  return lines.join('\n') + '\n';
}
