/**
 * Check that a parsed JSON document is a llmcache result (any kind of `Result`) whose fields the
 * views read are present and of the right type. Problems are listed with their paths (InputError,
 * exit 2), so a hand-edited or truncated result never reaches a view half-formed. `readResultText`
 * is the one reader of result files (report, gate, simulate --latency-from).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import {
  BENCH_MICRO_SCHEMA,
  BENCH_SCHEMA,
  GATE_SCHEMA,
  MRC_SCHEMA,
  REPLAY_SCHEMA,
  RESULT_SCHEMAS,
  SIMULATE_SCHEMA,
  SWEEP_SCHEMA,
  TRACE_STATS_SCHEMA,
  type Result,
  type ScenarioResult,
} from '../model/results.js';

type Kind = 'string' | 'number' | 'object' | 'array' | 'boolean';

const PCT = ['p50', 'p95', 'p99', 'p999', 'max'];
const pct = (base: string): Record<string, Kind> => Object.fromEntries(PCT.map((p) => [`${base}.${p}`, 'number']));

const SIMULATE_FIELDS: Record<string, Kind> = {
  'scenario.name': 'string', 'scenario.fingerprint': 'string', seed: 'number',
  workload: 'object', 'workload.leads': 'number', 'workload.days': 'number', 'workload.workers': 'number',
  requests: 'number', llmRequests: 'number', memoryReads: 'number', llmCalls: 'number',
  bypassed: 'number', bypassedStream: 'number', bypassedToolUse: 'number', hits: 'number', hitRate: 'number', llmHitRate: 'number',
  tiers: 'array', 'tiers[].name': 'string', 'tiers[].lookups': 'number', 'tiers[].hits': 'number', 'tiers[].hitRate': 'number', 'tiers[].share': 'number',
  memory: 'object', 'memory{}.reads': 'number', 'memory{}.servedBy': 'object',
  ...pct('latencyMs'),
  'staleness.staleHits': 'number', 'staleness.staleRate': 'number', 'staleness.byOp': 'object', 'staleness.byOp{}.hits': 'number', 'staleness.byOp{}.ageMs': 'object',
  'cost.baselineMonthlyUsd': 'number', 'cost.monthlyUsd': 'number', 'cost.savingsPct': 'number', 'cost.byOp': 'object', 'cost.assumptions': 'array', 'cost.tokens': 'object',
};

/**
 * Required paths per schema, with the kind each schema carries; `a[].b` checks b in every element
 * of array a, `o{}.b` in every value of object o.
 */
const SHAPES = new Map<string, { kind: string; fields: Record<string, Kind> }>([
  [SIMULATE_SCHEMA, { kind: 'simulate', fields: SIMULATE_FIELDS }],
  [BENCH_SCHEMA, {
    kind: 'bench',
    fields: {
      'scenario.name': 'string', 'scenario.fingerprint': 'string', env: 'object', mode: 'object', 'mode.loop': 'string',
      requests: 'number', errors: 'number', throughput: 'number', ...pct('latencyUs'),
      tiers: 'array', 'tiers[].name': 'string', 'tiers[].lookups': 'number', 'tiers[].hits': 'number', ...pct('tiers[].latencyUs'),
      ops: 'object', ...pct('ops{}.latencyUs'), trials: 'array', warnings: 'array', eventLoopDelayUs: 'object',
    },
  }],
  [BENCH_MICRO_SCHEMA, {
    kind: 'bench-micro',
    fields: { rows: 'array', 'rows[].name': 'string', 'rows[].meanMs': 'number', 'rows[].p75Ms': 'number', 'rows[].p99Ms': 'number', 'rows[].rmePct': 'number', 'rows[].samples': 'number' },
  }],
  [SWEEP_SCHEMA, {
    kind: 'sweep',
    fields: {
      'scenario.name': 'string', 'budgets.maxFalseHit': 'number', 'budgets.maxStale': 'number', elapsedMs: 'number', threads: 'number',
      runs: 'array', 'runs[].params': 'object', 'runs[].objectives.monthlyUsd': 'number', 'runs[].objectives.falseHitRate': 'number',
      'runs[].objectives.staleRate': 'number', 'runs[].objectives.leaks': 'number',
      ...Object.fromEntries(Object.entries(SIMULATE_FIELDS).map(([k, v]) => [`runs[].result.${k}`, v])),
      pareto: 'array', 'pareto[].params': 'object',
    },
  }],
  [REPLAY_SCHEMA, {
    kind: 'replay',
    fields: {
      trace: 'string', format: 'string', bySize: 'boolean', requests: 'number', skipped: 'number',
      results: 'array', 'results[].policy': 'string', 'results[].capacity': 'number', 'results[].misses': 'number', 'results[].missRatio': 'number', 'results[].reqPerSec': 'number',
    },
  }],
  [MRC_SCHEMA, {
    kind: 'mrc',
    fields: {
      trace: 'string', format: 'string', requests: 'number', skipped: 'number', distinctKeys: 'number',
      curves: 'array', 'curves[].policy': 'string', 'curves[].points': 'array', 'curves[].points[].capacity': 'number', 'curves[].points[].missRatio': 'number',
    },
  }],
  [GATE_SCHEMA, {
    kind: 'gate',
    fields: {
      verdict: 'string', 'scenario.name': 'string', 'scenario.fingerprint': 'string', options: 'object', 'options.alpha': 'number', 'options.threshold': 'number', 'options.warn': 'number',
      metrics: 'array', 'metrics[].stat': 'string', 'metrics[].status': 'string', 'metrics[].baseline': 'number', 'metrics[].current': 'number', 'metrics[].change': 'number',
      'metrics[].pValue': 'number', 'metrics[].confidence': 'number', 'metrics[].minSamples': 'number', 'metrics[].reason': 'string', warnings: 'array',
    },
  }],
  [TRACE_STATS_SCHEMA, {
    kind: 'trace-stats',
    fields: {
      file: 'string', events: 'number', messages: 'number', requests: 'number', llmRequests: 'number', memoryReads: 'number', stateChanges: 'number',
      contacts: 'number', keys: 'number', spanMs: 'number', skipped: 'number', accessDepth: 'object', accessDepthCounts: 'object',
      'reuseDistance.reuses': 'number', 'reuseDistance.buckets': 'array', 'reuseDistance.buckets[].count': 'number',
      ...pct('interArrivalMs'), ...pct('messageGapMs'), 'popularity.top': 'array', opMix: 'array', 'opMix[].op': 'string', 'opMix[].requests': 'number',
      repeatedCallRate: 'number', 'tokens.in': 'number', 'tokens.out': 'number',
    },
  }],
]);

/**
 * The kind a result file carries, by schema. A gate verdict's `kind` names the kind of the two
 * results it compared, so a verdict is told by its schema alone.
 */
function kindMatches(schema: string, want: string, kind: unknown): boolean {
  if (schema === GATE_SCHEMA) return kind === 'bench' || kind === 'simulate';
  // replay, mrc and trace-stats results written before `kind` was added still read
  if (kind === undefined && (schema === REPLAY_SCHEMA || schema === MRC_SCHEMA || schema === TRACE_STATS_SCHEMA)) return true;
  return kind === want;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/** Every (path, value) a pattern such as `tiers[].latencyUs.p50` reaches in `doc`. */
function reach(doc: unknown, parts: string[], at: string): [string, unknown][] {
  if (parts.length === 0) return [[at, doc]];
  const [head, ...rest] = parts;
  const each = head.endsWith('[]') ? 'array' : head.endsWith('{}') ? 'object' : undefined;
  const key = each ? head.slice(0, -2) : head;
  const here = at ? `${at}.${key}` : key;
  const v = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[key] : undefined;
  if (!each) return reach(v, rest, here);
  if (typeOf(v) !== each) return [];
  return Object.entries(v as object).flatMap(([k, item]) => reach(item, rest, each === 'array' ? `${here}[${k}]` : `${here}.${k}`));
}

/** What a reader asks for, named in its refusals: "X is …, not <noun>; <hint>". */
export interface Wanted {
  noun: string;
  /** The schemas it accepts, listed in a refusal. */
  schemas: readonly string[];
  hint: string;
}

/** Any result kind (`llmcache report`). */
export const ANY_RESULT: Wanted = {
  noun: 'a llmcache result',
  schemas: RESULT_SCHEMAS,
  hint: 'give a JSON file written by a llmcache command with --json or --out (simulate, bench, sweep, replay, mrc, gate, trace stats)',
};

/** Validate a parsed document as a result of any kind; `label` (e.g. the file name) starts every message. */
export function asReportableResult(doc: unknown, label: string, wanted: Wanted = ANY_RESULT): Result {
  if (typeOf(doc) !== 'object') throw new InputError(`${label}: not ${wanted.noun} (expected a JSON object, got ${typeOf(doc)})`);
  const d = doc as { schema?: unknown; kind?: unknown };
  const shape = typeof d.schema === 'string' && wanted.schemas.includes(d.schema) ? SHAPES.get(d.schema) : undefined;
  if (!shape) {
    const what = typeof d.schema === 'string' ? `a ${JSON.stringify(d.schema)} document` : 'a JSON file without a llmcache result schema';
    throw new InputError(`${label} is ${what}, not ${wanted.noun} (${wanted.schemas.join(', ')}); ${wanted.hint}`);
  }
  if (!kindMatches(d.schema as string, shape.kind, d.kind)) throw new InputError(`${label}: schema ${d.schema} needs kind "${shape.kind}", found ${JSON.stringify(d.kind)}`);
  const problems: string[] = [];
  for (const [pattern, want] of Object.entries(shape.fields)) {
    for (const [path, v] of reach(doc, pattern.split('.'), '')) {
      const got = typeOf(v);
      const ok = want === 'number' ? got === 'number' && Number.isFinite(v) : got === want;
      if (!ok) problems.push(`${path}: expected ${want}, got ${got === 'undefined' ? 'nothing' : got}`);
    }
  }
  if (problems.length) {
    const shown = problems.slice(0, 10).map((p) => `  - ${p}`).join('\n');
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
    throw new InputError(`${label}: not a complete ${shape.kind} result:\n${shown}${more}`);
  }
  return doc as Result;
}

/** What `gate` compares: a simulate or a bench result. */
export const SCENARIO_RESULT: Wanted = {
  noun: 'a simulate or bench result',
  schemas: [SIMULATE_SCHEMA, BENCH_SCHEMA],
  hint: 'give a file written by `llmcache simulate -o FILE` or `llmcache bench -o FILE`',
};

/** Validate a parsed document as a simulate or bench result (what the gate compares). */
export function asScenarioResult(doc: unknown, label: string): ScenarioResult {
  const r = asReportableResult(doc, label, SCENARIO_RESULT);
  if (r.schema === SIMULATE_SCHEMA || r.schema === BENCH_SCHEMA) return r;
  throw new InputError(`${label} is a ${JSON.stringify(r.schema)} document, not ${SCENARIO_RESULT.noun} (${SCENARIO_RESULT.schemas.join(', ')}); ${SCENARIO_RESULT.hint}`);
}

/** A result file as read: its text verbatim (gate --update-baseline copies it) and the validated result. */
export interface ResultFile<T = Result> {
  text: string;
  result: T;
}

/**
 * Read, parse and validate a result file; an InputError (exit 2) names the file and the problem.
 * `label` (e.g. "baseline") goes before the file name in every message; `check` validates the
 * parsed document (default: any result kind; the gate accepts simulate and bench only) and
 * `wanted` names what it accepts when the file is not JSON at all.
 */
export function readResultText<T = Result>(
  file: string,
  label?: string,
  check: (doc: unknown, name: string) => T = asReportableResult as (doc: unknown, name: string) => T,
  wanted: Wanted = ANY_RESULT,
): ResultFile<T> {
  const name = label ? `${label} ${file}` : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${name}: cannot read${label ? '' : ' the result file'} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${name} is ${notJson(text, e as Error)}, not ${wanted.noun}; ${wanted.hint}`);
  }
  return { text, result: check(doc, name) };
}

/** What a file that is not JSON looks like, in words (never its raw bytes). */
function notJson(text: string, e: Error): string {
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text.slice(0, 4096))) return 'a binary file';
  try {
    const first = JSON.parse(text.slice(0, text.indexOf('\n'))) as { type?: unknown };
    if (typeof first.type === 'string') return 'a JSONL trace (one event a line)';
  } catch {
    // not JSON lines either
  }
  const pos = /position (\d+)/.exec(e.message)?.[1];
  return `not valid JSON${pos ? ` (at byte ${pos})` : ''}`;
}

/** Read and validate a result file of any kind (exit 2 with the file and the problem when it is not one). */
export function readResultFile(file: string): Result {
  return readResultText(file).result;
}
