/** `llmcache gate`: compare a current result with a baseline; exit 0 pass/warn, 1 regression, 2 unusable input. */
import { output } from '../output.js';
import { appendFileSync, existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { InputError, redact } from '../errors.js';
import { asResult, gate, DEFAULT_GATE_OPTIONS, GATE_SCHEMA, type GateOptions, type GateVerdict } from '../gate.js';
import { writeFileAtomic } from '../io.js';
import { renderGateMarkdown, renderGateTable } from '../report/gate-render.js';
import { escapeMarkdown } from '../report/format.js';
import { readResultText, type ResultFile } from '../report/validate.js';
import { poolResults } from '../stats/pool.js';

export interface GateCliOptions {
  baseline: string[];
  current: string[];
  threshold: number;
  warn: number;
  alpha: number;
  latencyWarnOnly?: boolean;
  paired?: boolean;
  stats: string[];
  json?: boolean;
  updateBaseline?: boolean;
  summary?: string;
}

/** Commander parser for a fraction written as "10%" or "0.1". */
export function fractionOption(flag: string): (v: string) => number {
  return (v: string) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
    const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
    if (!m || (!m[2] && n > 1) || !(n >= 0 && n <= 1)) {
      throw new InputError(`${flag}: expected a percent such as 10% or a fraction such as 0.1, got ${JSON.stringify(v)}`);
    }
    return n;
  };
}

/** Read one side: one result, or several bench runs pooled into one. */
function readSide(files: string[], label: string): ResultFile {
  const read = files.map((f) => readResultText(f, label, asResult));
  if (read.length === 1) return read[0]!;
  const result = poolResults(read.map((r) => r.result), label);
  return { text: `${JSON.stringify(result, null, 2)}\n`, result };
}

/** Append to the GitHub job summary when the runner provides one, and to --summary; never overwrite. */
function appendSummary(markdown: string, o: GateCliOptions, env: NodeJS.ProcessEnv = process.env): void {
  for (const file of [env.GITHUB_STEP_SUMMARY, o.summary]) if (file) appendFileSync(file, `${markdown}\n`);
}

function gateOptions(o: GateCliOptions): Partial<GateOptions> {
  return { threshold: o.threshold, warn: o.warn, alpha: o.alpha, latencyWarnOnly: o.latencyWarnOnly ?? false, paired: o.paired ?? false, stats: o.stats };
}

/** Accept the current result as the new baseline, showing what changed against the old one if comparable. */
function updateBaseline(o: GateCliOptions, current: ResultFile): void {
  const cur = current.result;
  if (o.baseline.length !== 1) throw new InputError('--update-baseline writes one --baseline file; give exactly one');
  const target = o.baseline[0]!;
  if (cur.kind === 'bench' && cur.trials.length < DEFAULT_GATE_OPTIONS.minTrials) {
    throw new InputError(`current has ${cur.trials.length} trial(s); a baseline needs at least ${DEFAULT_GATE_OPTIONS.minTrials} (run bench --trials ${DEFAULT_GATE_OPTIONS.minTrials} or more)`);
  }
  let verdict: GateVerdict | undefined;
  let previous = 'none';
  if (existsSync(target)) {
    try {
      verdict = gate(readResultText(target, 'baseline', asResult).result, cur, gateOptions(o));
      previous = `compared: ${verdict.verdict}`;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      previous = `not comparable: ${e.message}`;
    }
  }
  writeFileAtomic(target, current.text, { overwrite: true });
  output.stderr(`llmcache gate: baseline ${target} updated from ${o.current.join(', ')} (previous baseline: ${redact(previous)})\n`);
  if (o.json) output.stdout(`${JSON.stringify({ ...(verdict ?? { schema: GATE_SCHEMA }), baselineUpdated: target }, null, 2)}\n`);
  else if (verdict) output.stdout(renderGateTable(verdict));
}

export function register(program: Command): void {
  program
    .command('gate')
    .description('Fail a change that makes cache lookups slower: rank test over repeated bench trials plus a minimum effect size; exact comparison of simulate results')
    .requiredOption('-b, --baseline <files...>', 'baseline result (bench with >= 5 trials, or simulate); several bench runs are pooled')
    .requiredOption('-c, --current <files...>', 'current result(s) of the same kind and scenario; several bench runs are pooled')
    .addOption(new Option('--threshold <pct>', 'fail when a significant slowdown exceeds this').argParser(fractionOption('--threshold')).default(DEFAULT_GATE_OPTIONS.threshold, '10%'))
    .addOption(new Option('--warn <pct>', 'warn when a significant slowdown exceeds this').argParser(fractionOption('--warn')).default(DEFAULT_GATE_OPTIONS.warn, '5%'))
    .addOption(new Option('--alpha <p>', 'significance level of the one-sided rank test').argParser(fractionOption('--alpha')).default(DEFAULT_GATE_OPTIONS.alpha, '0.01'))
    .addOption(
      new Option('--stats <list>', 'percentiles to compare; others than p50/p95/p99 (e.g. p1,p5) come from the trial histograms')
        .argParser((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
        .default(DEFAULT_GATE_OPTIONS.stats, 'p50,p95,p99'),
    )
    .option('--paired', 'trial i of each side ran at the same time: Wilcoxon signed-rank on per-trial ratios (needs >= 7 trials a side)')
    .option('--latency-warn-only', 'latency regressions only warn (deterministic differences still fail)')
    .option('--json', 'print the verdict as one JSON object on stdout')
    .option('--summary <file>', 'also append the Markdown summary to this file (e.g. for a PR comment)')
    .option('--update-baseline', 'accept --current as the new --baseline (overwrites it atomically) and exit 0')
    .addHelpText(
      'after',
      '\nExit codes: 0 pass or warn, 1 regression, 2 unusable input (other kind, schema or scenario; < 5 trials).\n' +
        'Markdown is appended to $GITHUB_STEP_SUMMARY when that variable is set.\n\nExamples:\n' +
        '  llmcache gate --baseline results/baseline.json --current results/bench-head.json\n' +
        '  llmcache gate -b base.json -c head.json --threshold 5% --warn 2% --json\n' +
        '  llmcache gate -b results/base-*.json -c results/head-*.json   (interleaved runs, pooled per side)\n' +
        '  llmcache gate -b results/baseline.json -c results/bench-main.json --update-baseline',
    )
    .action((o: GateCliOptions) => {
      const current = readSide(o.current, 'current');
      if (o.updateBaseline) return updateBaseline(o, current);
      let verdict: GateVerdict;
      try {
        verdict = gate(readSide(o.baseline, 'baseline').result, current.result, gateOptions(o));
      } catch (e) {
        if (e instanceof InputError) appendSummary(`### :no_entry: llmcache gate: unusable input\n\n${escapeMarkdown(redact(e.message))}\n`, o);
        throw e;
      }
      output.stdout(o.json ? `${JSON.stringify(verdict, null, 2)}\n` : renderGateTable(verdict));
      appendSummary(renderGateMarkdown(verdict), o);
      if (verdict.verdict === 'fail') {
        output.stderr('llmcache gate: regression detected\n');
        process.exitCode = 1;
      }
    });
}
