/** `llmcache trace generate` and `llmcache trace stats`: write and inspect JSONL traces. */
import { output } from '../output.js';
import type { Command } from 'commander';
import type { TraceStatsResult } from '../model/results.js';
import { openAnySource } from '../trace/recorded.js';
import { RECORDED_FORMATS, TRACE_FORMATS } from '../trace/formats.js';
import { InputError } from '../errors.js';
import { refuseBinaryOrEmptyTrace } from '../trace/detect.js';
import { computeTraceStats } from '../trace/stats.js';
import { addOutFileFlags, addOutputFlags, checkOutFlag, daysOption, emitResult, intOption, timeUnit, traceFormat, type OutputCliOptions } from './options.js';

/** Skip messages printed on stderr before the rest are only counted. */
const SHOWN_SKIPS = 5;

/** Flags that say how to read a trace that is not llmcache JSONL. */
export interface FormatOptions {
  traceFormat?: string;
  map?: string;
  timeUnit?: string;
}


/** A stderr reporter of skipped lines: the first few in full, then only counted. */
export function skipReporter(): (msg: string) => void {
  let shown = 0;
  return (msg) => {
    if (shown++ < SHOWN_SKIPS) output.stderr(`skipped ${msg}\n`);
  };
}

interface ImportOptions {
  from: string;
  out: string;
  map?: string;
  timeUnit?: string;
  skipInvalid?: boolean;
  maxLineBytes?: number;
  force?: boolean;
}

interface GenerateOptions {
  scenario?: string;
  leads?: number;
  days?: number;
  seed?: number;
  out: string;
  force?: boolean;
}

interface StatsOptions extends FormatOptions, OutputCliOptions {
  skipInvalid?: boolean;
  maxLineBytes?: number;
  top?: number;
}

export function register(program: Command): void {
  const trace = program.command('trace').description('Generate and inspect JSONL traces (format: docs/trace-format.md)');

  const generate = trace
    .command('generate')
    .description("Write the scenario's synthetic workload as a JSONL trace (gzip when FILE ends in .gz)")
    .option('-s, --scenario <file>', 'scenario file (.yaml or .json); default: the seed article stack')
    .option('--leads <n>', 'number of leads (overrides the scenario)', intOption('--leads', 1))
    .option('--days <d>', 'days of traffic, e.g. 3 or 12h (overrides the scenario)', daysOption)
    .option('--seed <s>', 'random seed (same seed, byte-identical file)', intOption('--seed', 0));
  addOutFileFlags(generate, 'trace file to write (.jsonl or .jsonl.gz)', { required: true, force: 'replace the file if it exists' })
    .addHelpText('after', '\nExamples:\n  llmcache trace generate --leads 500 --days 30 -o traces/article.jsonl.gz')
    .action(async (o: GenerateOptions) => {
      // Loaded here, not for `trace stats`: the generator, the engine's scenario handling and faker.
      const [{ resolveScenario }, { writeSyntheticTrace }] = await Promise.all([import('../config.js'), import('../trace/writer.js')]);
      const scenario = resolveScenario(o);
      const started = performance.now();
      const r = await writeSyntheticTrace(scenario, o.out, { overwrite: o.force });
      const secs = (performance.now() - started) / 1000;
      output.stderr(
        `wrote ${r.events} events (${(r.bytes / 1e6).toFixed(1)} MB JSONL${r.gzip ? `, ${(r.fileBytes / 1e6).toFixed(1)} MB gzip` : ''}) to ${r.file} in ${secs.toFixed(1)} s\n`,
      );
    });

  const importCmd = trace
    .command('import')
    .description('Convert recorded LLM traffic (Mooncake JSONL, Azure LLM CSV, BurstGPT CSV, or any CSV/JSONL with --map) into an llmcache trace')
    .argument('<in>', 'recorded trace (plain or gzip)')
    .requiredOption('--from <format>', `${RECORDED_FORMATS.join(' | ')}`)
    .option('--map <roles>', 'csv / jsonl: role=column pairs, roles time, in, out (required), model, key, prompt, tenant, user')
    .option('--time-unit <unit>', 'csv / jsonl: unit of numeric times, s or ms (default ms; date-times are read as such)')
    .option('--skip-invalid', 'skip invalid rows (counted and reported) instead of stopping at the first')
    .option('--max-line-bytes <n>', 'longest accepted line (bytes)', intOption('--max-line-bytes', 64));
  addOutFileFlags(importCmd, 'llmcache trace to write (.jsonl or .jsonl.gz)', { required: true, force: 'replace the output if it exists' })
    .addHelpText(
      'after',
      '\nFormats and what they tell (docs/trace-format.md, "Recorded traffic"):\n' +
        '  mooncake  timestamp, input_length, output_length, hash_ids (prompt blocks of 512 tokens)\n' +
        '  azure     TIMESTAMP, ContextTokens, GeneratedTokens\n' +
        '  burstgpt  Timestamp, Model, Request tokens, Response tokens, Total tokens, Log Type\n' +
        '  csv/jsonl your columns, named with --map\n\n' +
        'Examples:\n' +
        '  llmcache trace import --from mooncake conversation_trace.jsonl -o traces/mooncake.jsonl.gz\n' +
        '  llmcache trace import --from csv spend-logs.csv --map time=startTime,in=prompt_tokens,out=completion_tokens,model=model,user=user -o traces/litellm.jsonl.gz',
    )
    .action(async (file: string, o: ImportOptions) => {
      const from = traceFormat(o.from, '--from');
      if (from === 'llmcache') throw new InputError('--from: the file is already an llmcache trace; use it as it is');
      const { writeTrace } = await import('../trace/writer.js');
      const { TRACE_SCHEMA } = await import('../trace/jsonl.js');
      const src = await openAnySource(file, from, {
        map: o.map,
        timeUnit: timeUnit(o.timeUnit),
        skipInvalid: o.skipInvalid,
        maxLineBytes: o.maxLineBytes,
        onSkip: skipReporter(),
      });
      const started = performance.now();
      const named = Object.assign(src, { keyString: (ev: { key: number }) => src.keyName(ev.key) });
      const prompt = (src as { promptOf?: () => string | undefined }).promptOf?.bind(src);
      const r = await writeTrace(
        named,
        { type: 'header', schema: TRACE_SCHEMA, ops: src.opNames, generator: `llmcache trace import --from ${from}` },
        o.out,
        { overwrite: o.force, requestText: prompt ? () => prompt() : undefined },
      );
      const secs = (performance.now() - started) / 1000;
      output.stderr(
        `imported ${r.events} requests from ${file} (${from})${src.skipped ? `, skipped ${src.skipped} invalid line(s)` : ''} to ${r.file} in ${secs.toFixed(1)} s\n`,
      );
    });

  const statsCmd = trace
    .command('stats')
    .description('Access-depth mix, reuse distances, inter-arrival times, key popularity (Zipf fit), op mix and repeated-call rate of a trace')
    .argument('<trace>', 'trace file (llmcache JSONL or recorded traffic; plain or gzip)')
    .option('--trace-format <format>', `${TRACE_FORMATS.join(' | ')} (default: detected from the first line)`)
    .option('--map <roles>', 'with --trace-format csv or jsonl: role=column pairs (see trace import --help)')
    .option('--time-unit <unit>', 'with --map: unit of numeric times, s or ms')
    .option('--skip-invalid', 'skip invalid lines (counted and reported) instead of stopping at the first')
    .option('--max-line-bytes <n>', 'longest accepted line (bytes)', intOption('--max-line-bytes', 64))
    .option('--top <n>', 'most requested keys to list', intOption('--top', 0));
  addOutputFlags(statsCmd)
    .action(async (file: string, o: StatsOptions) => {
      checkOutFlag(o);
      refuseBinaryOrEmptyTrace(file);
      const source = await openAnySource(file, traceFormat(o.traceFormat), {
        map: o.map,
        timeUnit: timeUnit(o.timeUnit),
        skipInvalid: o.skipInvalid,
        maxLineBytes: o.maxLineBytes,
        onSkip: skipReporter(),
      });
      const stats = computeTraceStats(source, { topKeys: o.top });
      if (stats.skipped > 0) output.stderr(`llmcache: skipped ${stats.skipped} invalid line(s) of ${source.lines} in ${file}\n`);
      const result: TraceStatsResult = { file, ...stats };
      await emitResult(result, o);
    });
}
