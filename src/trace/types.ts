/**
 * Trace events (docs/architecture.md, "Domain model"). Two shapes of the same thing:
 *  - `TraceEvent`: the readable, string-keyed record of the JSONL trace format;
 *  - `SimEvent`: the numeric form the engines consume, one reusable object filled in place
 *    so the hot loop allocates nothing per event.
 */

/** How far back a memory-context read reaches. */
import { MEMORY_DEPTHS, type MemoryDepth } from '../config/model.js';

export { MEMORY_DEPTHS, type MemoryDepth };
/** Number of messages each depth needs (full = the whole history). */
export const DEPTH_MESSAGES: readonly number[] = [10, 100, Number.POSITIVE_INFINITY];

export const EVENT_MESSAGE = 0;
export const EVENT_REQUEST = 1;
export const EVENT_STATE = 2;

/** How a request describes its prompt prefix (docs/trace-format.md, "Prompt prefix"). */
export const PREFIX_NONE = 0;
/** Block ids, each standing for the prompt's first (i + 1) × blockTokens tokens (Mooncake). */
export const PREFIX_BLOCKS = 1;
/** Named segments: each the first `tokens` tokens of the content stream `id`. */
export const PREFIX_SEGMENTS = 2;

/** One segment of a prompt prefix in the JSONL format. */
export interface PrefixSegment {
  /** system | history | message, or any other label (read as "other"). */
  name?: string;
  /** The content stream: equal ids and lengths mean equal tokens. */
  id: string | number;
  /** Tokens taken from the start of the stream. */
  tokens: number;
}

/** The optional prompt-prefix description of a request: block ids or segments. */
export interface PromptPrefix {
  /** Tokens per block of `blocks` (default 512). */
  blockTokens?: number;
  blocks?: number[];
  segments?: PrefixSegment[];
}

/** A contact sends a message: advances the conversation. */
export interface MessageEvent {
  type: 'message';
  /** Timestamp, ms since the trace start. */
  t: number;
  contact: string;
  /** Tenant of the contact (optional in the JSONL format). */
  tenant?: string;
  /** Number of messages in the conversation after this one (JSONL: defaults to the count so far + 1). */
  seq: number;
  text?: string;
}

/** The application asks for an LLM operation or a memory-context read. */
export interface RequestEvent {
  type: 'request';
  /** Timestamp, ms since the trace start. */
  t: number;
  /** Operation name: a key class of the scenario (score, intent, response, memory, market, …). */
  op: string;
  /** Absent in recorded traffic that names no conversation (Azure, BurstGPT, Mooncake). */
  contact?: string;
  /** Tenant of the contact, for leak detection across tenants. */
  tenant?: string;
  /** The cache key built from the op's key template; absent = never looked up in the application tiers. */
  key?: string;
  /** Tokens sent to the model (tokens). */
  tokensIn: number;
  /** Tokens generated (tokens). */
  tokensOut: number;
  model?: string;
  stream?: boolean;
  toolUse?: boolean;
  /** Memory reads only. */
  depth?: MemoryDepth;
  /** Ground truth: the intent id the correct answer belongs to. */
  intent?: number;
  /** Paraphrase id of the wording (synthetic embeddings). */
  paraphrase?: number;
  /** Ground truth: the entity the answer depends on and its version at request time. */
  entity?: string;
  version?: number;
  text?: string;
  embedding?: number[];
  /** The prompt's prefix structure, for the provider prompt cache. */
  prefix?: PromptPrefix;
}

/** An entity changes: bumps its version and triggers invalidation. */
export interface StateEvent {
  type: 'state';
  /** Timestamp, ms since the trace start. */
  t: number;
  /** e.g. `contact:c42` or `market:94110`. */
  entity: string;
  version: number;
  /** The contact whose change this is (routes the invalidation to the contact's worker). */
  contact?: string;
  tenant?: string;
  from?: string;
  to?: string;
}

export type TraceEvent = MessageEvent | RequestEvent | StateEvent;

/**
 * Numeric event filled in place by every event source. Strings are interned to dense ids by the
 * source (`contact`, `key`, `entity`, `op` index into the scenario's op table).
 */
export interface SimEvent {
  kind: number;
  /** ms since the trace start. */
  t: number;
  contact: number;
  tenant: number;
  /** Index of the op / key class in the scenario's op table. */
  op: number;
  /** Dense key id (unique per key string). */
  key: number;
  /** Entity id the answer depends on, or -1. */
  entity: number;
  /** Entity version (state events: the new version). */
  version: number;
  /** Memory depth index into MEMORY_DEPTHS, or -1. */
  depth: number;
  stream: boolean;
  toolUse: boolean;
  /** Ground-truth intent id, or -1. */
  intent: number;
  /** Paraphrase id (synthetic embeddings), or -1. */
  paraphrase: number;
  tokensIn: number;
  tokensOut: number;
  /** Message events: conversation length after the message. */
  seq: number;
  /** Model id (TraceNames.modelName) the request names, or -1 = the op's model. */
  model: number;
  /** PREFIX_NONE | PREFIX_BLOCKS | PREFIX_SEGMENTS. */
  prefixKind: number;
  /** Block ids or segment ids; the first `prefixLen` entries are this event's. */
  prefixIds: number[];
  /** Segment lengths (tokens), segments only. */
  prefixTokens: number[];
  /** Segment roles (index into SEGMENT_ROLES of src/trace/prefix.ts), segments only. */
  prefixRoles: number[];
  prefixLen: number;
  /** Tokens per block (block ids only). */
  blockTokens: number;
}

export function newSimEvent(): SimEvent {
  return {
    kind: EVENT_MESSAGE,
    t: 0,
    contact: 0,
    tenant: 0,
    op: 0,
    key: 0,
    entity: -1,
    version: 0,
    depth: -1,
    stream: false,
    toolUse: false,
    intent: -1,
    paraphrase: -1,
    tokensIn: 0,
    tokensOut: 0,
    seq: 0,
    model: -1,
    prefixKind: PREFIX_NONE,
    prefixIds: [],
    prefixTokens: [],
    prefixRoles: [],
    prefixLen: 0,
    blockTokens: 0,
  };
}

/** Set `e` to an event of `kind` at `t` (ms) with every other field at its "absent" value. */
/** PREFIX_NONE for `resetEvent`, private so it folds to a literal (docs/architecture.md, "Measurement"). */
const NO_PREFIX = PREFIX_NONE;

export function resetEvent(e: SimEvent, kind: number, t: number): void {
  e.kind = kind;
  e.t = t;
  e.contact = -1;
  e.tenant = 0;
  e.op = -1;
  e.key = -1;
  e.entity = -1;
  e.version = 0;
  e.depth = -1;
  e.stream = false;
  e.toolUse = false;
  e.intent = -1;
  e.paraphrase = -1;
  e.tokensIn = 0;
  e.tokensOut = 0;
  e.seq = 0;
  e.model = -1;
  e.prefixKind = NO_PREFIX;
  e.prefixLen = 0;
  e.blockTokens = 0;
}

/** Copy every field of `from` into `to`. */
export function copyEvent(from: SimEvent, to: SimEvent): void {
  to.kind = from.kind;
  to.t = from.t;
  to.contact = from.contact;
  to.tenant = from.tenant;
  to.op = from.op;
  to.key = from.key;
  to.entity = from.entity;
  to.version = from.version;
  to.depth = from.depth;
  to.stream = from.stream;
  to.toolUse = from.toolUse;
  to.intent = from.intent;
  to.paraphrase = from.paraphrase;
  to.tokensIn = from.tokensIn;
  to.tokensOut = from.tokensOut;
  to.seq = from.seq;
  to.model = from.model;
  to.prefixKind = from.prefixKind;
  to.prefixLen = from.prefixLen;
  to.blockTokens = from.blockTokens;
  for (let i = 0; i < from.prefixLen; i++) to.prefixIds[i] = from.prefixIds[i]!;
  if (from.prefixKind !== PREFIX_SEGMENTS) return;
  for (let i = 0; i < from.prefixLen; i++) {
    to.prefixTokens[i] = from.prefixTokens[i]!;
    to.prefixRoles[i] = from.prefixRoles[i]!;
  }
}

/** A pull-based stream of events; `next` fills `ev` and returns false at the end. */
export interface EventSource {
  next(ev: SimEvent): boolean;
  /** Number of distinct contacts and entities seen so far or known up front (for array sizing). */
  readonly contacts: number;
  readonly entities: number;
  /** Trace span, ms (known up front for synthetic traces; at the end for recorded ones). */
  spanMs(): number;
}
