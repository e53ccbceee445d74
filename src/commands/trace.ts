/** `llmcache trace generate` and `llmcache trace stats`: write and inspect JSONL traces. */
import { output } from '../output.js';
import type { Command } from 'commander';
import { renderTraceStats } from '../report/trace-stats-render.js';
import { openTraceSource } from '../trace/reader.js';
import { computeTraceStats } from '../trace/stats.js';
import { intOption, positiveOption } from './options.js';

/** Skip messages printed on stderr before the rest are only counted. */
const SHOWN_SKIPS = 5;

interface GenerateOptions {
  scenario?: string;
  leads?: number;
  days?: number;
  seed?: number;
  out: string;
  force?: boolean;
}

interface StatsOptions {
  json?: boolean;
  skipInvalid?: boolean;
  maxLineBytes?: number;
  top?: number;
}

export function register(program: Command): void {
  const trace = program.command('trace').description('Generate and inspect JSONL traces (format: docs/trace-format.md)');

  trace
    .command('generate')
    .description("Write the scenario's synthetic workload as a JSONL trace (gzip when FILE ends in .gz)")
    .option('-s, --scenario <file>', 'scenario file (.yaml or .json); default: the seed article stack')
    .option('--leads <n>', 'number of leads (overrides the scenario)', intOption('--leads', 1))
    .option('--days <d>', 'days of traffic (overrides the scenario)', positiveOption('--days'))
    .option('--seed <s>', 'random seed (same seed, byte-identical file)', intOption('--seed', 0))
    .requiredOption('-o, --out <file>', 'trace file to write (.jsonl or .jsonl.gz)')
    .option('--force', 'replace the file if it exists')
    .addHelpText('after', '\nExamples:\n  llmcache trace generate --leads 500 --days 30 -o traces/article.jsonl.gz')
    .action(async (o: GenerateOptions) => {
      // Loaded here, not for `trace stats`: the generator, the engine's scenario handling and faker.
      const [{ resolveScenario }, { writeSyntheticTrace }] = await Promise.all([import('./simulate.js'), import('../trace/writer.js')]);
      const scenario = resolveScenario(o);
      const started = performance.now();
      const r = await writeSyntheticTrace(scenario, o.out, { overwrite: o.force });
      const secs = (performance.now() - started) / 1000;
      output.stderr(
        `wrote ${r.events} events (${(r.bytes / 1e6).toFixed(1)} MB JSONL${r.gzip ? `, ${(r.fileBytes / 1e6).toFixed(1)} MB gzip` : ''}) to ${r.file} in ${secs.toFixed(1)} s\n`,
      );
    });

  trace
    .command('stats')
    .description('Access-depth mix, reuse distances, inter-arrival times, key popularity (Zipf fit), op mix and repeated-call rate of a trace')
    .argument('<trace>', 'JSONL trace file (.jsonl, or gzip)')
    .option('--json', 'print one JSON object on stdout instead of tables')
    .option('--skip-invalid', 'skip invalid lines (counted and reported) instead of stopping at the first')
    .option('--max-line-bytes <n>', 'longest accepted line (bytes)', intOption('--max-line-bytes', 64))
    .option('--top <n>', 'most requested keys to list', intOption('--top', 0))
    .action(async (file: string, o: StatsOptions) => {
      let shown = 0;
      const source = await openTraceSource(file, {
        skipInvalid: o.skipInvalid,
        maxLineBytes: o.maxLineBytes,
        onSkip: (msg) => {
          if (shown++ < SHOWN_SKIPS) output.stderr(`skipped ${msg}\n`);
        },
      });
      const stats = computeTraceStats(source, { topKeys: o.top });
      if (stats.skipped > 0) output.stderr(`llmcache: skipped ${stats.skipped} invalid line(s) of ${source.lines} in ${file}\n`);
      output.stdout(o.json ? JSON.stringify({ file, ...stats }, null, 2) + '\n' : renderTraceStats(stats, file));
    });
}
