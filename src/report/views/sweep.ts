/**
 * The view of a sweep: the Pareto front of monthly spend against false hits and stale hits (the
 * recommended configuration marked), and every configuration's figures. Pure: result -> View.
 */
import { formatPoint, type SweepResult, type SweepRun } from '../../model/results.js';
import { fmtDuration, fmtInt, fmtPct, fmtPctValue, fmtUsd } from '../format.js';
import { chart, note, table, type Block, type View } from '../view.js';

export function sweepView(r: SweepResult): View {
  const names = [...new Set(r.runs.map((x) => x.result.scenario.name))];
  const rec = r.recommended;
  const budgets = `false-hit rate ≤ ${fmtPct(r.budgets.maxFalseHit, 2)}, stale rate ≤ ${fmtPct(r.budgets.maxStale, 2)}, no leaks`;
  const recommendation = rec
    ? `Recommended (the cheapest within ${budgets}): ${formatPoint(rec.params)} at ${fmtUsd(rec.objectives.monthlyUsd)}/month.`
    : `No configuration meets ${budgets}.`;
  return {
    command: 'sweep',
    subject: names.join(', '),
    title: `Sweep: ${names.join(', ')}`,
    meta: [`${fmtInt(r.runs.length)} configuration(s) on ${fmtInt(r.threads)} thread(s) in ${(r.elapsedMs / 1000).toFixed(2)} s · budgets: ${budgets}`],
    kpis: [
      { label: 'Configurations', value: fmtInt(r.runs.length), note: `${fmtInt(r.pareto.length)} on the Pareto front` },
      ...(rec
        ? [
            { label: 'Recommended', value: fmtUsd(rec.objectives.monthlyUsd), note: formatPoint(rec.params) },
            { label: 'Its false-hit rate', value: fmtPct(rec.objectives.falseHitRate, 2), note: `budget ${fmtPct(r.budgets.maxFalseHit, 2)}` },
            { label: 'Its stale rate', value: fmtPct(rec.objectives.staleRate, 2), note: `budget ${fmtPct(r.budgets.maxStale, 2)}` },
          ]
        : [{ label: 'Recommended', value: 'none', note: 'no configuration within the budgets' }]),
    ],
    alerts: rec ? [] : [recommendation],
    sections: [
      {
        id: 'pareto',
        title: 'Pareto front',
        blocks: [
          ...frontCharts(r),
          table(
            ['Configuration', 'USD/month', 'False-hit rate', 'Stale rate', 'Leaks', ''],
            r.pareto.map((run) => [formatPoint(run.params), fmtUsd(run.objectives.monthlyUsd), fmtPct(run.objectives.falseHitRate, 2), fmtPct(run.objectives.staleRate, 2), fmtInt(run.objectives.leaks), rec && samePoint(rec, run) ? 'RECOMMENDED' : '']),
          ),
          note(recommendation),
        ],
      },
      { id: 'runs', title: 'Configurations', blocks: runsTable(r) },
    ],
    schema: r.schema,
  };
}

/** Spend against each error rate that varies across the runs (false hits only with a semantic tier). */
function frontCharts(r: SweepResult): Block[] {
  const point = (run: SweepRun, y: number) => ({
    x: run.objectives.monthlyUsd,
    y,
    label: formatPoint(run.params),
    front: r.pareto.some((p) => samePoint(p, run)),
    recommended: r.recommended !== null && samePoint(r.recommended, run),
  });
  const charts: Block[] = [];
  if (r.runs.some((run) => run.result.semantic)) {
    charts.push(
      chart({
        type: 'scatter',
        id: 'pareto-false-hits',
        title: 'Monthly spend vs false-hit rate (Pareto front joined, recommended ringed)',
        xLabel: 'USD per month',
        yLabel: 'false hits / semantic hits',
        xUsd: true,
        yPercent: true,
        points: r.runs.map((run) => point(run, run.objectives.falseHitRate)),
        budget: { y: r.budgets.maxFalseHit, label: `budget ${fmtPct(r.budgets.maxFalseHit, 2)}` },
      }),
    );
  }
  charts.push(
    chart({
      type: 'scatter',
      id: 'pareto-stale',
      title: 'Monthly spend vs stale rate (Pareto front joined, recommended ringed)',
      xLabel: 'USD per month',
      yLabel: 'stale hits / cache hits',
      xUsd: true,
      yPercent: true,
      points: r.runs.map((run) => point(run, run.objectives.staleRate)),
      budget: { y: r.budgets.maxStale, label: `budget ${fmtPct(r.budgets.maxStale, 2)}` },
    }),
  );
  return charts;
}

/** The front and the recommendation are copies of runs: match them by parameters. */
function samePoint(a: SweepRun, b: SweepRun): boolean {
  return formatPoint(a.params) === formatPoint(b.params);
}

function runsTable(r: SweepResult): Block[] {
  const names = Object.keys(r.runs[0]?.params ?? {});
  const classes = Object.keys(r.runs[0]?.classes ?? {});
  const head = [
    ...names,
    'USD/month',
    'Saved',
    'LLM bill w/ prompt cache',
    'Hit rate',
    'Sem. hits',
    'False hits',
    'False-hit rate',
    'Stale rate',
    'Leaks',
    ...classes.flatMap((c) => [`${c} work saved`, `${c} stale`, `${c} age P50 / P99`]),
    'Front',
  ];
  const rows = r.runs.map((run) => {
    const o = run.objectives;
    const s = run.result.semantic;
    const marks = [r.pareto.some((p) => samePoint(p, run)) ? 'pareto' : '', r.recommended && samePoint(r.recommended, run) ? 'RECOMMENDED' : ''].filter(Boolean).join(' ');
    return [
      ...names.map((n) => String(run.params[n])),
      fmtUsd(o.monthlyUsd),
      fmtPctValue(run.result.cost.savingsPct),
      run.result.cost.bills ? fmtUsd(run.result.cost.bills.stack.monthlyUsd) : '–',
      fmtPct(run.result.hitRate),
      s ? fmtInt(s.hits) : '–',
      s ? fmtInt(s.falseHits) : '–',
      fmtPct(o.falseHitRate, 2),
      fmtPct(o.staleRate, 2),
      fmtInt(o.leaks),
      ...classes.flatMap((c) => {
        const k = run.classes?.[c];
        if (!k) return ['–', '–', '–'];
        return [fmtPct(k.workSaved), fmtPct(k.staleRate, 2), k.ageMs ? `${fmtDuration(k.ageMs.p50)} / ${fmtDuration(k.ageMs.p99)}` : '–'];
      }),
      marks,
    ];
  });
  return [
    table(head, rows, names.length),
    note('LLM bill w/ prompt cache = the LLM API bill of the tiers + the provider prompt cache (simulate --json cost.bills.stack); USD/month adds embeddings and infrastructure to it.'),
    note('False-hit rate = semantic false hits / semantic-tier hits; stale rate = stale hits / all cache hits; the Pareto front minimises USD/month, false-hit rate and stale rate.'),
    ...(classes.length > 0 ? [note('Work saved = 1 − spend / spend without cache over the class and its components (token-weighted effective hit rate); age = age of what was served.')] : []),
  ];
}
