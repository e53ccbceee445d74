/**
 * The view of a sweep: the Pareto front of monthly spend against false hits and stale hits (the
 * recommended configuration marked), and every configuration's figures. Pure: result -> View.
 */
import { formatPoint, type SweepResult, type SweepRun } from '../../model/results.js';
import { fmtDuration, fmtInt, fmtPct, fmtPctValue, fmtUsd } from '../format.js';
import { chart, note, table, type Block, type Section, type View } from '../view.js';

export function sweepView(r: SweepResult): View {
  const scenarios = [...new Set(r.runs.map((x) => x.result.scenario.name))];
  const rec = r.recommended;
  const budgets = `false-hit rate ≤ ${fmtPct(r.budgets.maxFalseHit, 2)}, stale rate ≤ ${fmtPct(r.budgets.maxStale, 2)}, no leaks`;
  const recommendation = rec
    ? `Recommended (the cheapest within ${budgets}): ${formatPoint(rec.params)} at ${fmtUsd(rec.objectives.monthlyUsd)}/month.`
    : `No configuration meets ${budgets}.`;
  const names = paramNames(r);
  const headings = paramHeadings(names);
  const shortened = names.flatMap((n, i) => (headings[i] !== n ? [`${headings[i]} = ${n}`] : []));
  const legend = shortened.length > 0 ? [note(`Parameters: ${shortened.join(', ')}.`)] : [];
  return {
    command: 'sweep',
    subject: scenarios.join(', '),
    title: `Sweep: ${scenarios.join(', ')}`,
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
            [...headings, 'USD/month', 'False-hit rate', 'Stale rate', 'Leaks', ''],
            r.pareto.map((run) => [...paramCells(run, names), fmtUsd(run.objectives.monthlyUsd), fmtPct(run.objectives.falseHitRate, 2), fmtPct(run.objectives.staleRate, 2), fmtInt(run.objectives.leaks), rec && samePoint(rec, run) ? 'RECOMMENDED' : '']),
            names.length,
          ),
          note(recommendation),
          ...legend,
        ],
      },
      ...runsSections(r, names, headings),
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

/** The swept parameters, in the order of the grid. */
function paramNames(r: SweepResult): string[] {
  return Object.keys(r.runs[0]?.params ?? {});
}

/**
 * A column heading per swept parameter: the shortest trailing part of its path that no other swept
 * parameter ends with (`L3.adaptiveTtl.maxFactor` -> `maxFactor`, but `L1.capacity` and
 * `L2.capacity` stay whole), so a grid of long paths still fits a terminal; a legend names them.
 */
export function paramHeadings(names: string[]): string[] {
  const tail = (name: string, parts: number) => name.split('.').slice(-parts).join('.');
  return names.map((name) => {
    const depth = name.split('.').length;
    for (let parts = 1; parts < depth; parts++) {
      const heading = tail(name, parts);
      if (names.every((other) => other === name || tail(other, parts) !== heading)) return heading;
    }
    return name;
  });
}

/** A run's parameter values, one cell per name. */
function paramCells(run: SweepRun, names: string[]): string[] {
  return names.map((n) => String(run.params[n]));
}

/** The front and the recommendation are copies of runs: match them by parameters. */
function samePoint(a: SweepRun, b: SweepRun): boolean {
  return formatPoint(a.params) === formatPoint(b.params);
}

/**
 * Every configuration in two tables that fit a 100-column terminal (docs/architecture.md, "Reports:
 * one view per result kind"): the objectives the front is drawn on, then the savings and hits
 * behind them; with `--by-class`, a third with one row per configuration and key class (so it does
 * not widen with more classes).
 */
function runsSections(r: SweepResult, names: string[], headings: string[]): Section[] {
  const classes = Object.keys(r.runs[0]?.classes ?? {});
  const objectives = r.runs.map((run) => {
    const o = run.objectives;
    const marks = [r.pareto.some((p) => samePoint(p, run)) ? 'pareto' : '', r.recommended && samePoint(r.recommended, run) ? 'RECOMMENDED' : ''].filter(Boolean).join(' ');
    return [...paramCells(run, names), fmtUsd(o.monthlyUsd), fmtPct(o.falseHitRate, 2), fmtPct(o.staleRate, 2), fmtInt(o.leaks), marks];
  });
  const spend = r.runs.map((run) => {
    const s = run.result.semantic;
    return [
      ...paramCells(run, names),
      fmtPctValue(run.result.cost.savingsPct),
      run.result.cost.bills ? fmtUsd(run.result.cost.bills.stack.monthlyUsd) : '–',
      fmtPct(run.result.hitRate),
      s ? fmtInt(s.hits) : '–',
      s ? fmtInt(s.falseHits) : '–',
    ];
  });
  const byClass = r.runs.flatMap((run) =>
    classes.map((c) => {
      const k = run.classes?.[c];
      if (!k) return [...paramCells(run, names), c, '–', '–', '–', '–'];
      return [...paramCells(run, names), c, fmtPct(k.workSaved), fmtPct(k.staleRate, 2), k.ageMs ? fmtDuration(k.ageMs.p50) : '–', k.ageMs ? fmtDuration(k.ageMs.p99) : '–'];
    }),
  );
  return [
    {
      id: 'runs',
      title: 'Configurations',
      blocks: [
        table([...headings, 'USD/month', 'False-hit rate', 'Stale rate', 'Leaks', 'Front'], objectives, names.length),
        note('False-hit rate = semantic false hits / semantic-tier hits; stale rate = stale hits / all cache hits; the Pareto front minimises USD/month, false-hit rate and stale rate.'),
      ],
    },
    {
      id: 'runs-spend',
      title: 'Configurations: savings and hits',
      blocks: [
        table([...headings, 'Saved', 'LLM bill w/ prompt cache', 'Hit rate', 'Sem. hits', 'False hits'], spend, names.length),
        note('Saved = 1 − USD/month / USD/month without cache. LLM bill w/ prompt cache = the LLM API bill of the tiers + the provider prompt cache, USD/month (simulate --json cost.bills.stack); USD/month adds embeddings and infrastructure to it.'),
      ],
    },
    ...(classes.length > 0
      ? [
          {
            id: 'classes',
            title: 'Configurations by key class',
            blocks: [
              table([...headings, 'Class', 'Work saved', 'Stale rate', 'Age P50', 'Age P99'], byClass, names.length + 1),
              note('Work saved = 1 − spend / spend without cache over the class and its components (token-weighted effective hit rate); stale rate = stale hits / hits of the class; age = age of what was served.'),
            ],
          },
        ]
      : []),
  ];
}
