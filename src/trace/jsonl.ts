/**
 * The JSONL trace format `llmcache/trace@1` (docs/trace-format.md, schema/trace.schema.json):
 * parse and validate one line into a record, serialize a record into one line.
 *
 * Validation is hand-written (one pass over the object's own keys, no recursion into user data)
 * so a multi-GB trace parses at JSON.parse speed and every error names the field.
 */
import { InputError } from '../errors.js';
import { MEMORY_DEPTHS, type MessageEvent, type RequestEvent, type StateEvent, type TraceEvent } from './types.js';

/** Schema id written in the header; the reader accepts any `llmcache/trace@1[.minor]`. */
export const TRACE_SCHEMA = 'llmcache/trace@1.1';

/** First line of a trace (optional for hand-written traces). */
export interface TraceHeader {
  type: 'header';
  schema: string;
  /** Scenario name the trace was generated from. */
  scenario?: string;
  seed?: number;
  /** Op table in index order (the scenario's ops). */
  ops?: string[];
  /** Trace span (ms), when known up front. */
  spanMs?: number;
  /** Distinct contacts / entities, when known up front (array sizing hints). */
  contacts?: number;
  entities?: number;
  generator?: string;
  /** Free-form user data, never interpreted. */
  meta?: Record<string, unknown>;
}

/** One line of a trace. */
export type TraceRecord = TraceHeader | TraceEvent;

/** A line that is not a valid record; `field` is null for syntax errors. */
export class TraceLineError extends Error {
  constructor(
    readonly field: string | null,
    readonly detail: string,
  ) {
    super(field === null ? detail : `field "${field}": ${detail}`);
  }
}

/** The error the CLI prints: `file:line: field "x": expected …, got …` (exit 2). */
export function lineError(file: string, line: number, e: TraceLineError): InputError {
  return new InputError(`${file}:${line}: ${e.message}`);
}

type Check = (v: unknown) => string | null; // null = ok, otherwise "expected …"

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const nonNegNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'expected a finite number >= 0');
const nonNegInt: Check = (v) => (isInt(v) && v >= 0 ? null : 'expected an integer >= 0');
const posInt: Check = (v) => (isInt(v) && v >= 1 ? null : 'expected an integer >= 1');
const name: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'expected a non-empty string');
const anyString: Check = (v) => (typeof v === 'string' ? null : 'expected a string');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'expected true or false');
const object: Check = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'expected an object');
const depth: Check = (v) => ((MEMORY_DEPTHS as readonly unknown[]).includes(v) ? null : `expected one of ${MEMORY_DEPTHS.join(' | ')}`);
const numbers: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? null : 'expected an array of finite numbers';
const names: Check = (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => name(x) === null) ? null : 'expected a non-empty array of non-empty strings');
const schema: Check = (v) =>
  typeof v === 'string' && /^llmcache\/trace@1(\.\d+)?$/.test(v) ? null : `expected "${TRACE_SCHEMA}" (this llmcache reads version 1 traces)`;

/** Where in a `prefix` value a problem is (e.g. `.segments[2].tokens`) and what it is. */
interface PrefixProblem {
  path: string;
  problem: string;
}

const PREFIX_KEYS = new Set(['blockTokens', 'blocks', 'segments']);
const SEGMENT_KEYS = new Set(['name', 'id', 'tokens']);

/** Check a request's `prefix` (docs/trace-format.md, "Prompt prefix"); null when it is valid. */
export function checkPrefix(v: unknown): PrefixProblem | null {
  if (object(v) !== null) return { path: '', problem: `expected an object { blocks, blockTokens } or { segments }, got ${describe(v)}` };
  const o = v as Record<string, unknown>;
  for (const k in o) if (!PREFIX_KEYS.has(k)) return { path: `.${k}`, problem: 'unknown field (known: blockTokens, blocks, segments)' };
  if ((o.blocks === undefined) === (o.segments === undefined)) return { path: '', problem: 'expected exactly one of blocks or segments' };
  if (o.blockTokens !== undefined && !(isInt(o.blockTokens) && o.blockTokens >= 1))
    return { path: '.blockTokens', problem: `expected an integer >= 1, got ${describe(o.blockTokens)}` };
  if (o.blocks !== undefined) {
    if (o.segments === undefined && !Array.isArray(o.blocks)) return { path: '.blocks', problem: `expected an array of block ids, got ${describe(o.blocks)}` };
    const blocks = o.blocks as unknown[];
    for (let i = 0; i < blocks.length; i++)
      if (!(isInt(blocks[i]) && (blocks[i] as number) >= 0)) return { path: `.blocks[${i}]`, problem: `expected an integer >= 0, got ${describe(blocks[i])}` };
    return null;
  }
  if (o.blockTokens !== undefined) return { path: '.blockTokens', problem: 'only block ids have a block size (segments are cut into blocks by the prompt cache)' };
  if (!Array.isArray(o.segments) || o.segments.length === 0) return { path: '.segments', problem: `expected a non-empty array of { name, id, tokens }, got ${describe(o.segments)}` };
  for (let i = 0; i < o.segments.length; i++) {
    const seg = o.segments[i] as Record<string, unknown>;
    const at = `.segments[${i}]`;
    if (object(seg) !== null) return { path: at, problem: `expected an object { name, id, tokens }, got ${describe(seg)}` };
    for (const k in seg) if (!SEGMENT_KEYS.has(k)) return { path: `${at}.${k}`, problem: 'unknown field (known: name, id, tokens)' };
    if (seg.name !== undefined && typeof seg.name !== 'string') return { path: `${at}.name`, problem: `expected a string, got ${describe(seg.name)}` };
    if (!((typeof seg.id === 'string' && seg.id.length > 0) || (isInt(seg.id) && seg.id >= 0)))
      return { path: `${at}.id`, problem: `expected a non-empty string or an integer >= 0, got ${describe(seg.id)}` };
    if (!(isInt(seg.tokens) && seg.tokens >= 0)) return { path: `${at}.tokens`, problem: `expected an integer >= 0, got ${describe(seg.tokens)}` };
  }
  return null;
}

const prefixCheck: Check = (v) => (checkPrefix(v) === null ? null : 'invalid prefix');

interface Spec {
  required: string[];
  fields: Map<string, Check>;
}
const spec = (required: Record<string, Check>, optional: Record<string, Check>): Spec => ({
  required: Object.keys(required),
  fields: new Map(Object.entries({ type: anyString, ...required, ...optional, meta: object })),
});

const SPECS: Record<string, Spec> = {
  header: spec(
    { schema },
    { scenario: anyString, seed: nonNegInt, ops: names, spanMs: nonNegNumber, contacts: nonNegInt, entities: nonNegInt, generator: anyString },
  ),
  message: spec({ t: nonNegNumber, contact: name }, { tenant: name, seq: posInt, text: anyString }),
  request: spec(
    { t: nonNegNumber, op: name, tokensIn: nonNegInt, tokensOut: nonNegInt },
    {
      contact: name,
      key: name,
      tenant: name,
      model: anyString,
      stream: bool,
      toolUse: bool,
      depth,
      intent: nonNegInt,
      paraphrase: nonNegInt,
      entity: name,
      version: nonNegInt,
      text: anyString,
      embedding: numbers,
      prefix: prefixCheck,
    },
  ),
  state: spec({ t: nonNegNumber, entity: name, version: nonNegInt }, { contact: name, tenant: name, from: anyString, to: anyString }),
};
const TYPES = Object.keys(SPECS);

/** Required and known fields of a record type (the schema file is tested against this). */
export function recordFields(type: TraceRecord['type']): { required: string[]; fields: string[] } {
  const s = SPECS[type]!;
  return { required: ['type', ...s.required], fields: [...s.fields.keys()] };
}

/** A short, safe description of a value for error messages (never recurses into it). */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/** Check a parsed JSON value against the format; returns it typed, or throws TraceLineError. */
export function validateRecord(v: unknown): TraceRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TraceLineError(null, `expected a JSON object, got ${describe(v)}`);
  if (fastValid(v as Record<string, unknown>)) return v as TraceRecord;
  return slowValidate(v as Record<string, unknown>);
}

const isName = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): boolean => isInt(v) && v >= 0;
const isTime = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v !== Infinity;

/**
 * The hot path (5x faster than the table walk on a multi-GB trace): true only for a record the
 * table would accept; anything else goes to `slowValidate`, which is authoritative and names the
 * field. Rare fields (embedding, meta) always take the slow path.
 */
function fastValid(o: Record<string, unknown>): boolean {
  const type = o.type;
  if (type !== 'request' && type !== 'message' && type !== 'state') return false;
  let seen = 0; // bit per required field
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case 'type':
        break;
      case 't':
        if (!isTime(v)) return false;
        seen |= 1;
        break;
      case 'contact':
        if (!isName(v)) return false;
        seen |= 2;
        break;
      case 'op':
      case 'key':
        if (type !== 'request' || !isName(v)) return false;
        seen |= k === 'op' ? 4 : 8;
        break;
      case 'tokensIn':
      case 'tokensOut':
        if (type !== 'request' || !isCount(v)) return false;
        seen |= k === 'tokensIn' ? 16 : 32;
        break;
      case 'entity':
        if (type === 'message' || !isName(v)) return false;
        seen |= 64;
        break;
      case 'version':
        if (type === 'message' || !isCount(v)) return false;
        seen |= 128;
        break;
      case 'tenant':
        if (!isName(v)) return false;
        break;
      case 'seq':
        if (type !== 'message' || !isInt(v) || v < 1) return false;
        break;
      case 'text':
        if (type === 'state' || typeof v !== 'string') return false;
        break;
      case 'intent':
      case 'paraphrase':
        if (type !== 'request' || !isCount(v)) return false;
        break;
      case 'depth':
        if (type !== 'request' || (v !== 'recent10' && v !== 'recent100' && v !== 'full')) return false;
        break;
      case 'stream':
      case 'toolUse':
        if (type !== 'request' || typeof v !== 'boolean') return false;
        break;
      case 'model':
        if (type !== 'request' || typeof v !== 'string') return false;
        break;
      case 'from':
      case 'to':
        if (type !== 'state' || typeof v !== 'string') return false;
        break;
      case 'prefix':
        if (type !== 'request' || checkPrefix(v) !== null) return false;
        break;
      default:
        return false;
    }
  }
  // A request needs t, op, tokensIn and tokensOut (contact and key are optional).
  if (type === 'request') return (seen & 53) === 53 && ((seen & 64) === 0 || (seen & 128) !== 0);
  if (type === 'message') return (seen & 3) === 3;
  return (seen & 193) === 193;
}

/** The authoritative table walk (exported for the property test that the fast path agrees with it). */
export function slowValidate(o: Record<string, unknown>): TraceRecord {
  const s = typeof o.type === 'string' ? SPECS[o.type] : undefined;
  if (s === undefined || !Object.hasOwn(SPECS, o.type as string))
    throw new TraceLineError('type', `expected one of ${TYPES.join(' | ')}, got ${describe(o.type)}`);
  for (const k in o) {
    const check = s.fields.get(k);
    if (check === undefined) throw new TraceLineError(k, `unknown field for a ${o.type} record (known: ${[...s.fields.keys()].join(', ')})`);
    if (k === 'prefix') {
      const p = checkPrefix(o[k]);
      if (p !== null) throw new TraceLineError(`prefix${p.path}`, p.problem);
      continue;
    }
    const problem = check(o[k]);
    if (problem !== null) throw new TraceLineError(k, `${problem}, got ${describe(o[k])}`);
  }
  for (const k of s.required) if (!(k in o)) throw new TraceLineError(k, `required for a ${o.type} record, got nothing`);
  if (o.type === 'request' && o.entity !== undefined && o.version === undefined)
    throw new TraceLineError('version', 'required when a request names its entity (the version the answer depends on), got nothing');
  return o as unknown as TraceRecord;
}

/** Parse one line (without its newline) into a validated record. */
export function parseLine(line: string): TraceRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    // The parser quotes the line; control and invalid bytes are escaped so a message never carries raw bytes.
    const why = (e as Error).message.split('\n')[0]!.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    throw new TraceLineError(null, `invalid JSON: ${why}`);
  }
  return validateRecord(v);
}

// ---------------------------------------------------------------------------------------------
// Serialization: a fixed field order per record type, optional fields left out when absent,
// booleans left out when false, so the same events always give the same bytes.

const ORDER: Record<TraceRecord['type'], readonly string[]> = {
  header: ['type', 'schema', 'scenario', 'seed', 'ops', 'spanMs', 'contacts', 'entities', 'generator', 'meta'],
  message: ['type', 't', 'contact', 'tenant', 'seq', 'text', 'meta'],
  request: [
    'type', 't', 'op', 'contact', 'tenant', 'key', 'tokensIn', 'tokensOut', 'model', 'stream', 'toolUse', 'depth',
    'intent', 'paraphrase', 'entity', 'version', 'text', 'embedding', 'prefix', 'meta',
  ],
  state: ['type', 't', 'entity', 'version', 'contact', 'tenant', 'from', 'to', 'meta'],
};

/** One JSONL line (no newline) for a record. */
export function serializeRecord(rec: TraceRecord): string {
  const src = rec as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ORDER[rec.type]) {
    const v = src[k];
    if (v !== undefined && v !== false) out[k] = v;
  }
  return JSON.stringify(out);
}

export type { MessageEvent, RequestEvent, StateEvent };
