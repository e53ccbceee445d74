/** `llmcache sweep`: a parameter grid over a scenario, run in parallel; Pareto front and recommendation. */
import type { Command } from 'commander';
import { applyOverrides, loadScenario, type Scenario } from '../config.js';
import { InputError } from '../errors.js';
import { classOps, classStats } from '../sweep/classes.js';
import { applyPoint, expandGrid, parseParam } from '../sweep/grid.js';
import type { ParamPoint } from '../model/results.js';
import { analyse } from '../sweep/pareto.js';
import { poolSize, runPool } from '../sweep/pool.js';
import { addOutputFlags, checkOutFlag, daysOption, emitResult, intOption, progressReporter, type OutputCliOptions } from './options.js';
import { parseFraction } from '../core/units.js';

interface SweepFlags extends OutputCliOptions {
  scenario: string[];
  param: string[];
  byClass?: string;
  maxFalseHit: string;
  maxStale: string;
  threads?: number;
  leads?: number;
  days?: number;
  seed?: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('sweep')
    .description('Run a grid of scenario parameters in parallel; print the Pareto front of spend vs false hits vs staleness')
    .option('--scenario <file>', 'scenario file (.yaml or .json); repeat it to compare scenarios (an axis named "scenario")', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--param <NAME=V1,V2,…>', 'a swept parameter: <tier>.<field> (L3.threshold) or a path (workers.count); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-false-hit <rate>', 'false-hit budget of the recommendation (false hits / cache hits): 1% or 0.01', '1%')
    .option('--max-stale <rate>', 'stale budget of the recommendation (stale hits / cache hits): 1% or 0.01', '1%')
    .option('--by-class <ops>', 'add per-key-class columns (work saved, stale rate, age) for these ops, e.g. score,response')
    .option('--threads <n>', 'worker threads (default: available cores)', intOption('--threads', 1))
    .option('--leads <n>', 'override workload.leads', intOption('--leads', 1))
    .option('--days <d>', 'override workload.days (3, or 12h)', daysOption)
    .option('--seed <s>', 'override the seed', intOption('--seed', 0));
  addOutputFlags(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  llmcache sweep --scenario scenarios/semantic.yaml --param L3.threshold=0.80,0.85,0.90,0.95,0.99 --max-false-hit 1%\n' +
        '  llmcache sweep --scenario scenarios/seed-article.yaml --param L1.capacity=100,1000 --param invalidation=local,broadcast --json\n' +
        '  llmcache sweep --scenario scenarios/granularity-whole.yaml --scenario scenarios/granularity-components.yaml --by-class score',
    )
    .action(async (f: SweepFlags) => {
      if (f.scenario.length === 0) throw new InputError('sweep needs --scenario FILE');
      checkOutFlag(f);
      if (f.param.length === 0 && f.scenario.length < 2) throw new InputError('sweep needs at least one --param NAME=V1,V2,… (or two --scenario files)');
      const budgets = { maxFalseHit: parseFraction('--max-false-hit', f.maxFalseHit), maxStale: parseFraction('--max-stale', f.maxStale) };
      const bases = f.scenario.map((file) => applyOverrides(loadScenario(file), { leads: f.leads, days: f.days, seed: f.seed }));
      const grid = expandGrid(f.param.map(parseParam));
      const points: ParamPoint[] = [];
      const scenarios: Scenario[] = [];
      for (const base of bases)
        for (const p of grid) {
          points.push(bases.length > 1 ? { scenario: base.name, ...p } : p);
          scenarios.push(applyPoint(base, p));
        }
      const classes = f.byClass ? f.byClass.split(',').map((c) => c.trim()).filter(Boolean) : [];
      for (const c of classes) if (!bases.some((b) => c in b.ops)) throw new InputError(`--by-class ${c}: no such op (ops: ${Object.keys(bases[0]!.ops).join(', ')})`);
      const threads = poolSize(points.length, f.threads);
      const t0 = performance.now();
      const draw = progressReporter(`sweep: ${points.length} configuration(s)`);
      const results = await runPool(scenarios, { threads, onProgress: draw ? (done, total) => draw(done / total) : undefined });
      const out = analyse(
        points.map((params, i) => ({
          params,
          result: results[i]!,
          ...(classes.length > 0 && { classes: Object.fromEntries(classes.map((c) => [c, classStats(results[i]!, classOps(scenarios[i]!, c))])) }),
        })),
        budgets,
        performance.now() - t0,
        threads,
      );
      await emitResult(out, f, JSON.stringify(out) + '\n'); // one line: a sweep's result is large
    });
}
