/** Human table of a sweep result: a pure function (result) => string. */
import Table from 'cli-table3';
import type { SweepResult } from './pareto.js';

const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;
const usd = (x: number) => `$${x.toFixed(2)}`;
/** ms as a short human duration. */
const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 60_000).toFixed(0)} min`);

export function renderSweep(r: SweepResult): string {
  const names = Object.keys(r.runs[0]?.params ?? {});
  const classes = Object.keys(r.runs[0]?.classes ?? {});
  const classHead = classes.flatMap((c) => [`${c} work saved`, `${c} stale`, `${c} age p50/p99`]);
  const table = new Table({
    head: [...names, 'USD/month', 'saved', 'hit rate', 'sem. hits', 'false hits', 'false-hit rate', 'stale rate', 'leaks', ...classHead, ''],
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
      ...classes.flatMap((c) => {
        const k = run.classes![c]!;
        return [pct(k.workSaved, 1), pct(k.staleRate), k.ageMs ? `${duration(k.ageMs.p50)} / ${duration(k.ageMs.p99)}` : '-'];
      }),
      marks,
    ]);
  }
  const lines = [
    `sweep of ${[...new Set(r.runs.map((x) => x.result.scenario.name))].join(', ')}: ${r.runs.length} configuration(s) on ${r.threads} thread(s) in ${(r.elapsedMs / 1000).toFixed(2)} s`,
    table.toString(),
    'false-hit rate = semantic false hits / semantic-tier hits; stale rate = stale hits / all cache hits; Pareto front minimises USD/month, false-hit rate and stale rate.',
    ...(classes.length > 0 ? ['work saved = 1 - spend / spend without cache over the class and its components (token-weighted effective hit rate); age = age of what was served.'] : []),
  ];
  const b = `budgets: false-hit rate <= ${pct(r.budgets.maxFalseHit)}, stale rate <= ${pct(r.budgets.maxStale)}, no leaks`;
  if (r.recommended) {
    const p = Object.entries(r.recommended.params).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`recommended (cheapest within ${b}): ${p} at ${usd(r.recommended.objectives.monthlyUsd)}/month`);
  } else lines.push(`no configuration meets ${b}`);
  return lines.join('\n') + '\n';
}
