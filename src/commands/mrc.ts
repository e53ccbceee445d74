/** `llmcache mrc TRACE`: LRU miss-ratio curves (exact and SHARDS-sampled) to size a cache. */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { addTraceOptions, openTraceInWorker, reportSkipped, traceProgress, type TraceCliOptions } from './replay-options.js';
import { REPLAY_POLICIES } from '../replay/engine.js';
import { MRC_SCHEMA, type MrcResult, type ReplayPolicy } from '../model/results.js';
import { computeMrc } from '../replay/mrc.js';
import { addOutputFlags, checkOutFlag, emitResult, intOption, type OutputCliOptions } from './options.js';
import { capacityOption, parseFraction } from '../core/units.js';

interface MrcCliOptions extends TraceCliOptions, OutputCliOptions {
  sample?: number | 'auto';
  sampleKeys?: number;
  exact?: boolean;
  maxCapacity?: number;
  points: number;
  log?: boolean;
  policies?: ReplayPolicy[];
}

/** Without --sample or --exact, traces up to this size on disk get the exact curve. */
const AUTO_EXACT_BYTES = 512 * 1024 * 1024;
/** Keys a fixed-size SHARDS sample tracks by default (error bound about ±0.008). */
const AUTO_SAMPLE_KEYS = 16_384;

const fmtMiB = (bytes: number) => (bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${Math.round(bytes / 1048576).toLocaleString('en-US')} MiB`);

/** Parse `--policies opt,s3fifo`. */
function parsePolicies(v: string): ReplayPolicy[] {
  const list = v.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  for (const p of list) {
    if (!(REPLAY_POLICIES as readonly string[]).includes(p)) throw new InputError(`--policies: unknown policy ${JSON.stringify(p)}; use ${REPLAY_POLICIES.join(', ')}`);
  }
  return [...new Set(list)] as ReplayPolicy[];
}

export function register(program: Command): void {
  const cmd = program
    .command('mrc')
    .description(
      'Miss-ratio curves of a key-request trace: LRU by exact stack distances or SHARDS sampling (picked by the trace size unless --sample/--exact), other policies and OPT simulated',
    )
    .argument('<trace>', 'trace file (plain or gzip)')
    .option('--sample <rate>', 'SHARDS sampling rate in (0, 1], e.g. 0.01 or 1%, or auto (fixed size: --sample-keys); alone it skips the exact curve', (v): number | 'auto' => (v === 'auto' ? v : parseFraction('--sample', v, { positive: true })))
    .option('--sample-keys <n>', `fixed-size SHARDS: track at most n sampled keys, lowering the rate as the trace needs (default with --sample auto: ${AUTO_SAMPLE_KEYS})`, capacityOption('--sample-keys'))
    .option('--exact', 'compute the exact curve as well as --sample (and report the sampling error)')
    .option('--max-capacity <n>', 'largest capacity (entries), e.g. 200k; default: the number of distinct keys', capacityOption('--max-capacity'))
    .option('--points <k>', 'number of capacities on the curve', intOption('--points', 1), 20)
    .option('--log', 'log-spaced capacities (1 … max) instead of evenly spaced')
    .option(
      '--policies <list>',
      `more curves, simulated at each capacity: ${REPLAY_POLICIES.filter((p) => p !== 'lru').join(', ')} (opt = Belady, the lower bound); ` +
        'they replay the trace kept in memory (8 bytes a request), or its SHARDS sample at capacities × rate',
      parsePolicies,
    );
  addOutputFlags(addTraceOptions(cmd))
    .addHelpText(
      'after',
      '\nExamples:\n  llmcache mrc keys.txt --points 10\n' +
        '  llmcache mrc trace.oracleGeneral.bin --format oracle --sample 0.01 --max-capacity 1M\n' +
        '  llmcache mrc big.oracleGeneral.bin --sample auto --sample-keys 32k   # fixed-size SHARDS\n' +
        '  llmcache mrc trace.bin --format oracle --sample 0.01 --exact --json   # reports the sampling error\n' +
        '  llmcache mrc keys.txt --policies opt,s3fifo,arc   # each policy\'s curve, OPT beneath them',
    )
    .action(async (file: string, o: MrcCliOptions) => {
      checkOutFlag(o);
      const { reader, format } = await openTraceInWorker(file, o, 'mrc', true);
      const progress = traceProgress('mrc', reader.totalBytes);
      // neither --sample nor --exact: exact up to AUTO_EXACT_BYTES on disk, else fixed-size SHARDS
      const auto = o.sample === undefined && o.sampleKeys === undefined && o.exact !== true;
      const sampleBig = auto && reader.totalBytes > AUTO_EXACT_BYTES;
      const sampling = o.sample !== undefined || o.sampleKeys !== undefined || sampleBig;
      const choice = auto
        ? sampleBig
          ? `sampled (the trace is ${fmtMiB(reader.totalBytes)} on disk, over ${fmtMiB(AUTO_EXACT_BYTES)}; --exact forces the exact curve)`
          : `exact (the trace is ${fmtMiB(reader.totalBytes)} on disk, at most ${fmtMiB(AUTO_EXACT_BYTES)})`
        : undefined;
      const run = await computeMrc(reader, {
        exact: !sampling || o.exact === true,
        sampleRate: typeof o.sample === 'number' ? o.sample : undefined,
        sampleKeys: o.sampleKeys ?? (o.sample === 'auto' || sampleBig ? AUTO_SAMPLE_KEYS : undefined),
        maxCapacity: o.maxCapacity,
        points: o.points,
        log: o.log,
        policies: o.policies,
        onProgress: progress ? (_r, bytesRead) => progress(bytesRead) : undefined,
      });
      const result: MrcResult = { schema: MRC_SCHEMA, kind: 'mrc', trace: file, format, ...(choice ? { choice } : {}), ...run };
      reportSkipped(run.skipped, file);
      await emitResult(result, o);
    });
}
