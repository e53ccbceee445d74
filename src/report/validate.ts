/**
 * Check that a parsed JSON document is a simulate or bench result whose fields the reporters read
 * are present and of the right type. Problems are listed with their paths (InputError, exit 2), so
 * a hand-edited or truncated result never reaches a renderer half-formed. `readResultText` is the one
 * reader of result files (report, gate, simulate --latency-from).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { BENCH_SCHEMA, SIMULATE_SCHEMA, type AnyResult } from '../model/results.js';

type Kind = 'string' | 'number' | 'object' | 'array';

const PCT = ['p50', 'p95', 'p99', 'p999', 'max'];
const pct = (base: string): Record<string, Kind> => Object.fromEntries(PCT.map((p) => [`${base}.${p}`, 'number']));

/** Required paths per schema; `a[].b` checks b in every element of array a, `o{}.b` in every value of object o. */
const SHAPES = new Map<string, { kind: string; fields: Record<string, Kind> }>([
  [SIMULATE_SCHEMA, {
    kind: 'simulate',
    fields: {
      'scenario.name': 'string', 'scenario.fingerprint': 'string', seed: 'number',
      workload: 'object', 'workload.leads': 'number', 'workload.days': 'number', 'workload.workers': 'number',
      requests: 'number', llmRequests: 'number', memoryReads: 'number', llmCalls: 'number',
      bypassed: 'number', bypassedStream: 'number', bypassedToolUse: 'number', hits: 'number', hitRate: 'number', llmHitRate: 'number',
      tiers: 'array', 'tiers[].name': 'string', 'tiers[].lookups': 'number', 'tiers[].hits': 'number', 'tiers[].hitRate': 'number', 'tiers[].share': 'number',
      memory: 'object', 'memory{}.reads': 'number', 'memory{}.servedBy': 'object',
      ...pct('latencyMs'),
      'staleness.staleHits': 'number', 'staleness.staleRate': 'number', 'staleness.byOp': 'object', 'staleness.byOp{}.hits': 'number', 'staleness.byOp{}.ageMs': 'object',
      'cost.baselineMonthlyUsd': 'number', 'cost.monthlyUsd': 'number', 'cost.savingsPct': 'number', 'cost.byOp': 'object', 'cost.assumptions': 'array', 'cost.tokens': 'object',
    },
  }],
  [BENCH_SCHEMA, {
    kind: 'bench',
    fields: {
      'scenario.name': 'string', 'scenario.fingerprint': 'string', env: 'object', mode: 'object', 'mode.loop': 'string',
      requests: 'number', errors: 'number', throughput: 'number', ...pct('latencyUs'),
      tiers: 'array', 'tiers[].name': 'string', 'tiers[].lookups': 'number', 'tiers[].hits': 'number', ...pct('tiers[].latencyUs'),
      ops: 'object', ...pct('ops{}.latencyUs'), trials: 'array', warnings: 'array', eventLoopDelayUs: 'object',
    },
  }],
]);

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

/** Validate a parsed document as a result; `label` (e.g. the file name) starts every message. */
export function asReportableResult(doc: unknown, label: string): AnyResult {
  if (typeOf(doc) !== 'object') throw new InputError(`${label}: not a llmcache result (expected a JSON object, got ${typeOf(doc)})`);
  const d = doc as { schema?: unknown; kind?: unknown };
  const shape = typeof d.schema === 'string' ? SHAPES.get(d.schema) : undefined;
  if (!shape) {
    const what = typeof d.schema === 'string' ? `a ${JSON.stringify(d.schema)} document` : 'a JSON file without a llmcache result schema';
    throw new InputError(`${label} is ${what}, not a simulate or bench result (${[...SHAPES.keys()].join(', ')}); give a file written by \`llmcache simulate -o FILE\` or \`llmcache bench -o FILE\``);
  }
  if (d.kind !== shape.kind) throw new InputError(`${label}: schema ${d.schema} needs kind "${shape.kind}", found ${JSON.stringify(d.kind)}`);
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
  return doc as AnyResult;
}

/** A result file as read: its text verbatim (gate --update-baseline copies it) and the validated result. */
export interface ResultFile {
  text: string;
  result: AnyResult;
}

/**
 * Read, parse and validate a result file; an InputError (exit 2) names the file and the problem.
 * `label` (e.g. "baseline") goes before the file name in every message; `check` validates the
 * parsed document (default: the reporters' shape check; the gate adds its per-trial checks).
 */
export function readResultText(file: string, label?: string, check: (doc: unknown, name: string) => AnyResult = asReportableResult): ResultFile {
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
    throw new InputError(`${name} is ${notJson(text, e as Error)}, not a simulate or bench result; give a file written by \`llmcache simulate -o FILE\` or \`llmcache bench -o FILE\``);
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

/** Read and validate a result file (exit 2 with the file and the problem when it is not one). */
export function readResultFile(file: string): AnyResult {
  return readResultText(file).result;
}
