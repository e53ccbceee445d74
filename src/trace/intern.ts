/**
 * Turn string-keyed trace records into the numeric SimEvent the engines consume: contacts,
 * tenants, keys and entities are interned to dense ids (0, 1, 2, … in order of first appearance),
 * ops to their index in the op table.
 */
import { TraceLineError } from './jsonl.js';
import { roleIndex, stringId } from './prefix.js';

/** Block size of block-id prefixes that give none (Mooncake's 512-token blocks). */
export const DEFAULT_BLOCK_TOKENS = 512;

/** Fill the prompt-prefix fields of `ev` from a record's (validated) `prefix`. */
export function fillPrefix(p: PromptPrefix, ev: SimEvent): void {
  if (p.blocks !== undefined) {
    ev.prefixKind = PREFIX_BLOCKS;
    ev.blockTokens = p.blockTokens ?? DEFAULT_BLOCK_TOKENS;
    const b = p.blocks;
    for (let i = 0; i < b.length; i++) ev.prefixIds[i] = b[i]!;
    ev.prefixLen = b.length;
    return;
  }
  const segs = p.segments!;
  ev.prefixKind = PREFIX_SEGMENTS;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    ev.prefixIds[i] = typeof seg.id === 'number' ? seg.id : stringId(seg.id);
    ev.prefixTokens[i] = seg.tokens;
    ev.prefixRoles[i] = roleIndex(seg.name);
  }
  ev.prefixLen = segs.length;
}
import {
  EVENT_MESSAGE,
  EVENT_REQUEST,
  EVENT_STATE,
  MEMORY_DEPTHS,
  PREFIX_BLOCKS,
  PREFIX_SEGMENTS,
  resetEvent,
  type PromptPrefix,
  type EventSource,
  type SimEvent,
  type TraceEvent,
} from './types.js';

/** A string ↔ dense id table. */
export class NameTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  get size(): number {
    return this.names.length;
  }
  id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(name, i);
      this.names.push(name);
    }
    return i;
  }
  has(name: string): boolean {
    return this.ids.has(name);
  }
  name(id: number): string {
    const n = this.names[id];
    if (n === undefined) throw new RangeError(`no name for id ${id}`);
    return n;
  }
  list(): readonly string[] {
    return this.names;
  }
}

export interface InternOptions {
  /** The scenario's op table (index = op id). Without it, ops are numbered as they appear. */
  ops?: readonly string[];
  /**
   * A request whose op is not in the table: `error` (default when `ops` is given: the engine has
   * no TTL or price for it) or `extend` (append it; default without `ops`, e.g. for stats).
   */
  unknownOps?: 'error' | 'extend';
}

/** Reverse lookups every trace-backed source offers (ids → the strings of the trace). */
export interface TraceNames {
  readonly opNames: string[];
  contactName(id: number): string;
  keyName(id: number): string;
  entityName(id: number): string;
  tenantName(id: number): string;
  /** Name of a request's model id (SimEvent.model). */
  modelName(id: number): string;
}

export class TraceInterner implements TraceNames {
  readonly opNames: string[];
  readonly contacts = new NameTable();
  readonly tenants = new NameTable();
  readonly keys = new NameTable();
  readonly entities = new NameTable();
  readonly models = new NameTable();
  /** Time of the latest event (ms). */
  lastT = 0;
  private readonly ops: NameTable;
  private readonly extend: boolean;
  /** Messages seen per contact (the conversation length). */
  private readonly seq: number[] = [];

  constructor(opts: InternOptions = {}) {
    this.ops = new NameTable();
    for (const o of opts.ops ?? []) this.ops.id(o);
    this.opNames = this.ops.list() as string[];
    this.tenants.id('');
    this.extend = (opts.unknownOps ?? (opts.ops ? 'error' : 'extend')) === 'extend';
  }

  contactName = (id: number): string => this.contacts.name(id);
  keyName = (id: number): string => this.keys.name(id);
  entityName = (id: number): string => this.entities.name(id);
  tenantName = (id: number): string => this.tenants.name(id);
  modelName = (id: number): string => this.models.name(id);

  /**
   * Fill `ev` (every field) from `rec`. Throws TraceLineError, before changing any state, when
   * time goes backwards or the op is unknown and the table may not grow.
   */
  fill(rec: TraceEvent, ev: SimEvent): void {
    if (rec.t < this.lastT)
      throw new TraceLineError('t', `expected >= ${this.lastT} (events must be in time order; the previous event is at ${this.lastT} ms), got ${rec.t}`);
    let op = -1;
    if (rec.type === 'request' && !this.extend && !this.ops.has(rec.op))
      throw new TraceLineError('op', `expected one of the scenario's ops (${this.opNames.join(', ')}), got ${JSON.stringify(rec.op)}`);
    if (rec.type === 'request') op = this.ops.id(rec.op);
    this.lastT = rec.t;
    const r: { contact?: string; tenant?: string } = rec;
    const c = r.contact === undefined ? -1 : this.contacts.id(r.contact);
    resetEvent(ev, EVENT_MESSAGE, rec.t);
    ev.op = op;
    ev.contact = c;
    ev.tenant = this.tenant(r.tenant);
    switch (rec.type) {
      case 'message':
        ev.seq = rec.seq ?? (this.seq[c] ?? 0) + 1;
        this.seq[c] = ev.seq;
        return;
      case 'request':
        ev.kind = EVENT_REQUEST;
        if (rec.key !== undefined) ev.key = this.keys.id(rec.key);
        if (rec.model !== undefined) ev.model = this.models.id(rec.model);
        if (rec.prefix !== undefined) fillPrefix(rec.prefix, ev);
        if (rec.entity !== undefined) ev.entity = this.entities.id(rec.entity);
        if (rec.depth !== undefined) ev.depth = MEMORY_DEPTHS.indexOf(rec.depth);
        ev.version = rec.version ?? this.defaultVersion(rec, c);
        ev.stream = rec.stream === true;
        ev.toolUse = rec.toolUse === true;
        ev.intent = rec.intent ?? -1;
        ev.paraphrase = rec.paraphrase ?? -1;
        ev.tokensIn = rec.tokensIn;
        ev.tokensOut = rec.tokensOut;
        return;
      case 'state':
        ev.kind = EVENT_STATE;
        ev.entity = this.entities.id(rec.entity);
        ev.version = rec.version;
        return;
    }
  }

  /**
   * Version of a request that gives none: for a memory read without an entity, the conversation
   * length so far (the window it needs); otherwise 0.
   */
  defaultVersion(rec: { entity?: string; depth?: string }, contact: number): number {
    return rec.entity === undefined && rec.depth !== undefined ? (this.seq[contact] ?? 0) : 0;
  }

  /** Tenant id: an absent tenant is the default tenant "" (always id 0). */
  private tenant(name: string | undefined): number {
    return name === undefined ? 0 : this.tenants.id(name);
  }
}

/** An EventSource over in-memory records (tests, small traces); errors name the record index. */
export function traceEventsSource(events: Iterable<TraceEvent>, opts: InternOptions = {}): EventSource & TraceNames {
  const it = events[Symbol.iterator]();
  const interner = new TraceInterner(opts);
  let n = 0;
  return {
    get contacts() {
      return interner.contacts.size;
    },
    get entities() {
      return interner.entities.size;
    },
    spanMs: () => interner.lastT,
    next(ev: SimEvent): boolean {
      const r = it.next();
      if (r.done) return false;
      n++;
      try {
        interner.fill(r.value, ev);
      } catch (e) {
        if (e instanceof TraceLineError) throw new TraceLineError(e.field, `event ${n}: ${e.detail}`);
        throw e;
      }
      return true;
    },
    opNames: interner.opNames,
    contactName: interner.contactName,
    keyName: interner.keyName,
    entityName: interner.entityName,
    tenantName: interner.tenantName,
    modelName: interner.modelName,
  };
}
