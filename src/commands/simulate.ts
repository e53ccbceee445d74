/** `llmcache simulate`: a month of traffic through the tier stack in virtual time. */
import { output } from '../output.js';
import type { Command } from 'commander';
import { resolveScenario, withImportedOp, type Scenario } from '../config.js';
import { InputError } from '../errors.js';
import { BENCH_SCHEMA, resultKind } from '../model/results.js';
import { refuseBinaryOrEmptyTrace } from '../trace/detect.js';
import { simulate, type SimulateOptions } from '../sim/engine.js';
import { addOutputFlags, addPricingFlags, checkOutFlag, daysOption, emitResult, intOption, progressReporter, timeUnit, traceFormat, type SimulateCliOptions } from './options.js';
import { embedderKind, traceVectors } from '../semantic/embedders.js';

/** The scenario for `--trace`: with an op for imported requests when the trace has them. */
async function scenarioForTrace(scenario: Scenario, o: SimulateCliOptions): Promise<Scenario> {
  if (!o.trace) return scenario;
  const { detectFormat, traceOps, IMPORTED_OP } = await import('../trace/recorded.js');
  const format = traceFormat(o.traceFormat) ?? detectFormat(o.trace);
  return traceOps(o.trace, format).includes(IMPORTED_OP) ? withImportedOp(scenario, IMPORTED_OP, o.model) : scenario;
}

/** Lookup latencies per tier measured by `bench`, as latency models for the simulator. */
async function latencyFromBench(file: string): Promise<SimulateOptions['latencyOverrides']> {
  const { readResultFile } = await import('../report/validate.js');
  const { latencyModelsFromBench } = await import('../bench/calibrate.js');
  const result = readResultFile(file);
  if (result.schema !== BENCH_SCHEMA) throw new InputError(`--latency-from ${file}: expected a bench result, got a ${resultKind(result)} result`);
  return latencyModelsFromBench(result);
}

/** Options for the engine from the command line: a recorded trace, calibrated latencies, progress. */
async function engineOptions(scenario: Scenario, o: SimulateCliOptions): Promise<SimulateOptions> {
  const opts: SimulateOptions = { onProgress: progressReporter('simulate'), model: o.model };
  if (o.latencyFrom) opts.latencyOverrides = await latencyFromBench(o.latencyFrom);
  const embedder = embedderKind(o);
  if (!o.trace && embedder !== 'text') throw new InputError(`--embedder ${embedder} embeds a recorded trace's text: give --trace FILE (the synthetic workload uses its ground-truth vectors)`);
  if (o.trace) {
    const { openAnySource } = await import('../trace/recorded.js');
    opts.source = await openAnySource(o.trace, traceFormat(o.traceFormat), {
      map: o.map,
      timeUnit: timeUnit(o.timeUnit),
      ops: Object.keys(scenario.ops),
      skipInvalid: o.skipInvalid,
      onSkip: (m) => output.stderr(`skipped: ${m}\n`),
      vectors: await traceVectors(embedder, scenario, o.trace, o, (line) => output.stderr(`${line}\n`)),
    });
  }
  return opts;
}

export function register(program: Command): void {
  const cmd = addPricingFlags(program.command('simulate').description('Replay a synthetic month of traffic through the tier stack in virtual time and report hit rates, latency, staleness and spend'), '')
    .option('-s, --scenario <file>', 'scenario file (.yaml or .json); default: the seed article stack')
    .option('--leads <n>', 'number of leads (overrides the scenario)', intOption('--leads', 1))
    .option('--days <d>', 'days of traffic, e.g. 3 or 12h (overrides the scenario)', daysOption)
    .option('--workers <n>', 'application worker processes (overrides the scenario)', intOption('--workers', 1))
    .option('--seed <s>', 'random seed (same seed, same result)', intOption('--seed', 0))
    .option('--routing <mode>', 'round-robin | random | sticky')
    .option('--invalidation <mode>', 'none | local | broadcast')
    .option('--trace <file>', 'replay a recorded JSONL trace (.jsonl or .jsonl.gz) instead of the synthetic workload')
    .option('--trace-format <format>', 'with --trace: llmcache | mooncake | azure | burstgpt | csv | jsonl (default: detected from the first line)')
    .option('--map <roles>', 'with --trace-format csv or jsonl: role=column pairs (see `llmcache trace import --help`)')
    .option('--time-unit <unit>', 'with --map: unit of numeric times, s or ms')
    .option('--skip-invalid', 'with --trace: skip and count malformed lines instead of stopping')
    .option('--embedder <kind>', 'vectors of a recorded trace for semantic tiers: text (trace embedding, else hashed n-grams; default) | synthetic (ground-truth intents) | url')
    .option('--embed-url <url>', 'OpenAI-compatible embeddings endpoint for the trace texts (implies --embedder url; key from OPENAI_API_KEY)')
    .option('--embed-model <name>', 'model sent to --embed-url (default: the scenario embedding.model)')
    .option('--latency-from <file>', 'use the per-tier lookup latencies measured by a bench result file');
  addOutputFlags(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  llmcache simulate --leads 500\n  llmcache simulate --scenario scenarios/multi-worker.yaml --workers 8 --json\n  llmcache simulate --invalidation broadcast --out results/broadcast.json\n  llmcache simulate --trace my-traffic.jsonl.gz --skip-invalid\n  llmcache simulate --latency-from results/bench-2026-11-26T06-00-00Z.json',
    )
    .action(async (o: SimulateCliOptions) => {
      checkOutFlag(o);
      if (o.trace) refuseBinaryOrEmptyTrace(o.trace);
      const scenario = await scenarioForTrace(resolveScenario(o), o);
      const opts = await engineOptions(scenario, o);
      const result = simulate(scenario, opts);
      opts.onProgress?.(1); // the bar ends at 100 % on its own line
      await emitResult(result, o);
    });
}
