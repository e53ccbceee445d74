/**
 * What the command definitions share: flag groups (output, pricing), option parsers and stderr
 * progress (docs/architecture.md, "Flags").
 */
import type { ScenarioOverrides } from '../config.js';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { durationOption } from '../core/units.js';
import { output } from '../output.js';
import { checkOutPath, writeFileAtomic } from '../io/write.js';
import type { Result } from '../model/results.js';
import { TRACE_FORMATS, type TraceFormat } from '../trace/formats.js'; // the names only: the readers load lazily
import type { EmbedderCliOptions } from '../semantic/embedders.js';

/** The output flags (addOutputFlags), parsed. */
export interface OutputCliOptions {
  json?: boolean;
  out?: string;
  force?: boolean;
}

/** Flags of the commands that run a scenario (simulate, bench, trace generate). */
export interface SimulateCliOptions extends EmbedderCliOptions, ScenarioOverrides, OutputCliOptions {
  scenario?: string;
  trace?: string;
  traceFormat?: string;
  map?: string;
  timeUnit?: string;
  skipInvalid?: boolean;
  latencyFrom?: string;
}

/** A plain decimal number such as 3, 0.25 or .5 (no exponent, hex, blank or sign other than −). */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;

/** Commander parser for an integer option with a lower bound. */
export function intOption(flag: string, min: number): (v: string) => number {
  return (v: string) => {
    const n = DECIMAL.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min) throw new InputError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** Commander parser for a plain decimal number with a lower bound (a factor such as 0.001). */
export function numberOption(flag: string, min: number): (v: string) => number {
  return (v: string) => {
    const n = DECIMAL.test(v.trim()) ? Number(v) : NaN;
    if (!(n >= min)) throw new InputError(`${flag}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** `--days`: days of traffic, a duration > 0 (3, 0.5, 12h); a bare number is days. */
export const daysOption = durationOption('--days', { unit: 'd', positive: true });

/**
 * A progress callback that draws a bar on stderr when stderr is a terminal, and nothing
 * otherwise (CI logs and pipes stay clean).
 */
export function progressReporter(label: string): ((fraction: number) => void) | undefined {
  if (!output.stderrIsTTY()) return undefined;
  let last = -1;
  return (fraction: number) => {
    const pct = Math.floor(fraction * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    output.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%`);
    if (pct >= 100) output.stderr('\n');
  };
}

/** `--trace-format` / `--from` checked against the known formats; undefined = detect. */
export function traceFormat(value: string | undefined, flag = '--trace-format'): TraceFormat | undefined {
  if (value === undefined) return undefined;
  if (!(TRACE_FORMATS as readonly string[]).includes(value)) throw new InputError(`${flag}: expected one of ${TRACE_FORMATS.join(' | ')}, got ${JSON.stringify(value)}`);
  return value as TraceFormat;
}

export function timeUnit(value: string | undefined): 's' | 'ms' | undefined {
  if (value === undefined || value === 's' || value === 'ms') return value;
  throw new InputError(`--time-unit: expected s or ms, got ${JSON.stringify(value)}`);
}

/**
 * The pricing and provider prompt-cache flags `simulate` and `bench` share (bench computes the
 * prompt cache from the trace; no provider is called). `what` ends the --prompt-cache help.
 */
export function addPricingFlags(cmd: Command, what: string): Command {
  return cmd
    .option('--model <name>', 'price every LLM request with this model (from `llmcache prices` or the scenario models)')
    .option('--prompt-cache <mode>', `provider prompt cache (innermost tier): off | 5m | 1h | unlimited (no TTL, no capacity limit); default 5m${what}`)
    .option('--prompt-cache-min-tokens <n>', "shortest cached prefix (tokens); default: the model's from the price catalog", intOption('--prompt-cache-min-tokens', 0))
    .option('--prompt-cache-capacity <blocks>', 'most prefix blocks the provider keeps per model (LRU); default unbounded', intOption('--prompt-cache-capacity', 1));
}

/**
 * `-o, --out FILE` and `--force` of a command that writes a file: `out` is the --out help,
 * `required` makes --out mandatory (a command whose only output is the file).
 */
export function addOutFileFlags(cmd: Command, out: string, o: { required?: boolean; force?: string } = {}): Command {
  return (o.required ? cmd.requiredOption('-o, --out <file>', out) : cmd.option('-o, --out <file>', out)).option('--force', o.force ?? 'replace --out if it exists');
}

/**
 * The output flags of every command that produces a result (docs/architecture.md, "Contracts"):
 * `--json` prints it as one JSON object instead of tables, `-o, --out FILE` also writes it
 * (atomically), `--force` replaces an existing --out. `out` overrides the --out help.
 */
export function addOutputFlags(cmd: Command, out = 'also write the JSON result to this file (atomically)'): Command {
  return addOutFileFlags(cmd.option('--json', 'print one JSON object on stdout instead of tables'), out);
}

/** Refuse an unusable --out before any work (an existing file without --force, a missing directory). */
export function checkOutFlag(o: OutputCliOptions): void {
  if (o.out) checkOutPath(o.out, { overwrite: o.force });
}

/**
 * The result as the output flags ask: written to --out (atomically) if given; JSON with --json, else
 * its table. The reporters load only for a table: a --json run never needs them.
 */
export async function emitResult(result: Result, o: OutputCliOptions, json = JSON.stringify(result, null, 2) + '\n'): Promise<void> {
  if (o.out) writeFileAtomic(o.out, json, { overwrite: o.force });
  output.stdout(o.json ? json : (await import('../report/table.js')).renderTable(result));
}
