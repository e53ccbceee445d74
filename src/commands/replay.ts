/** `llmcache replay TRACE`: eviction policies (and Belady's OPT) over a recorded key-request trace. */
import type { Command } from 'commander';
import { addTraceOptions, reportSkipped, traceProgress, traceRequest, type TraceCliOptions } from './replay-options.js';
import { REPLAY_POLICIES, type CacheSpec } from '../replay/engine.js';
import { InputError } from '../errors.js';
import { parseCapacity } from '../core/units.js';
import { replayFile } from '../replay/parallel.js';
import { EVICTION_PARAMETERS } from '../tiers/store.js';
import { addOutputFlags, checkOutFlag, emitResult, type OutputCliOptions } from './options.js';
import { REPLAY_SCHEMA, type ReplayPolicy, type ReplayResult } from '../model/results.js';
import { wrap } from '../core/text.js';

interface ReplayCliOptions extends TraceCliOptions, OutputCliOptions {
  cache: string;
  bySize?: boolean;
}

/** Parse `--cache lru:1000,s3fifo:1000,opt:1000,sieve:64MiB`. */
export function parseCacheSpecs(spec: string): CacheSpec[] {
  const out = spec
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((part) => {
      const [policy, cap, extra] = part.trim().split(':');
      if (!policy || cap === undefined || extra !== undefined) {
        throw new InputError(`--cache: expected policy:capacity (e.g. lru:1000), got ${JSON.stringify(part)}`);
      }
      const p = policy.toLowerCase();
      if (!(REPLAY_POLICIES as readonly string[]).includes(p)) {
        throw new InputError(`--cache: unknown policy ${JSON.stringify(policy)}; use ${REPLAY_POLICIES.join(', ')}`);
      }
      return { policy: p as ReplayPolicy, capacity: parseCapacity('--cache', cap) };
    });
  if (out.length === 0) throw new InputError('--cache: give at least one policy:capacity');
  return out;
}

export function register(program: Command): void {
  const cmd = program
    .command('replay')
    .description(`Run caches (${REPLAY_POLICIES.join(', ')}) over a key-request trace and report misses, miss ratio and requests per second`)
    .argument('<trace>', 'trace file (plain or gzip)')
    .option('--cache <list>', 'policy:capacity list, e.g. lru:1000,s3fifo:1000,opt:1000,sieve:100k', 'lru:1000,fifo:1000,sieve:1000')
    .option('--by-size', 'capacity in bytes, each object weighs its size');
  addOutputFlags(addTraceOptions(cmd))
    .addHelpText(
      'after',
      '\nPolicies (parameters are libCacheSim\'s defaults; C = capacity):\n' +
        Object.entries(EVICTION_PARAMETERS)
          .map(([p, d]) => `  ${p.padEnd(8)} ${wrap(d, 90).replace(/\n/g, '\n           ')}`)
          .join('\n') +
        '\n  opt      Belady\'s MIN: evicts the entry requested again furthest in the future; the lower bound for\n' +
        '           demand caching with unit weights (Belady\'s rule on sizes with --by-size); keeps the trace in\n' +
        '           memory (8 bytes a request, 16 with --by-size) and ignores TTLs\n' +
        '\nExamples:\n  llmcache replay trace.oracleGeneral.bin --format oracle --cache lru:100000\n' +
        '  llmcache replay keys.txt.gz --cache lru:1000,fifo:1000,sieve:1000 --json\n' +
        '  llmcache replay reqs.csv --format csv --columns time,key,size,ttl --cache lru:64MiB --by-size',
    )
    .action(async (file: string, o: ReplayCliOptions) => {
      const caches = parseCacheSpecs(o.cache);
      checkOutFlag(o);
      const { format, options } = traceRequest(file, o, 'replay');
      let progress: ((bytesRead: number) => void) | undefined | null = null; // drawn once the size is known
      const run = await replayFile(file, format, options, caches, {
        bySize: o.bySize,
        onProgress: (p) => {
          if (progress === null) progress = traceProgress('replay', p.totalBytes);
          progress?.(p.bytesRead);
        },
      });
      const result: ReplayResult = {
        schema: REPLAY_SCHEMA,
        kind: 'replay',
        trace: file,
        format,
        bySize: o.bySize === true,
        requests: run.requests,
        skipped: run.skipped,
        elapsedMs: Math.round(run.elapsedMs * 10) / 10,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
        results: run.results,
      };
      reportSkipped(run.skipped, file);
      await emitResult(result, o);
    });
}
