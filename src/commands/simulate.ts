/** `llmcache simulate`: a month of traffic through the tier stack in virtual time. */
import type { Command } from 'commander';
import { applyOverrides, defaultScenario, loadScenario, type Invalidation, type Routing, type Scenario } from '../config.js';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import { renderSimulateTable } from '../report/simulate-table.js';
import type { SimulateResult } from '../report/types.js';
import { simulate, type SimulateOptions } from '../sim/engine.js';
import { intOption, progressReporter } from './options.js';

export interface SimulateCliOptions {
  scenario?: string;
  leads?: number;
  days?: number;
  workers?: number;
  seed?: number;
  routing?: Routing;
  invalidation?: Invalidation;
  json?: boolean;
  out?: string;
  force?: boolean;
}

/** The scenario a command runs: the file's (or the article's default) with flag overrides. */
export function resolveScenario(o: SimulateCliOptions): Scenario {
  const base = o.scenario ? loadScenario(o.scenario) : defaultScenario();
  return applyOverrides(base, o);
}

/** Run a simulation and return it; the CLI and other commands share this. */
export function runSimulation(scenario: Scenario, opts: SimulateOptions = {}): SimulateResult {
  return simulate(scenario, opts);
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Replay a synthetic month of traffic through the tier stack in virtual time and report hit rates, latency, staleness and spend')
    .option('-s, --scenario <file>', 'scenario file (.yaml or .json); default: the seed article stack')
    .option('--leads <n>', 'number of leads (overrides the scenario)', intOption('--leads', 1))
    .option('--days <d>', 'days of traffic (overrides the scenario)', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new InputError(`--days: expected a positive number, got ${JSON.stringify(v)}`);
      return n;
    })
    .option('--workers <n>', 'application worker processes (overrides the scenario)', intOption('--workers', 1))
    .option('--seed <s>', 'random seed (same seed, same result)', intOption('--seed', 0))
    .option('--routing <mode>', 'round-robin | random | sticky')
    .option('--invalidation <mode>', 'none | local | broadcast')
    .option('--json', 'print one JSON object on stdout instead of tables')
    .option('-o, --out <file>', 'also write the JSON result to this file (atomically)')
    .option('--force', 'replace --out if it exists')
    .addHelpText(
      'after',
      '\nExamples:\n  llmcache simulate --leads 500\n  llmcache simulate --scenario scenarios/multi-worker.yaml --workers 8 --json\n  llmcache simulate --invalidation broadcast --out results/broadcast.json',
    )
    .action((o: SimulateCliOptions) => {
      const scenario = resolveScenario(o);
      const result = runSimulation(scenario, { onProgress: progressReporter('simulate') });
      if (o.out) writeFileAtomic(o.out, JSON.stringify(result, null, 2) + '\n', { overwrite: o.force });
      process.stdout.write(o.json ? JSON.stringify(result, null, 2) + '\n' : renderSimulateTable(result));
    });
}
