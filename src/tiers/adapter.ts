/**
 * The async face of a tier kind (docs/architecture.md, "How to add a tier kind"): a real backend
 * behind get / set / delete / search, plus clean-up of what the run wrote. What it stores is the
 * one cache-entry contract (src/cache/entry.ts); the shared walk (src/cache/walk.ts) decides
 * what counts as a hit, so a backend only keeps and returns entries.
 */
import type { CachedEntry } from '../cache/entry.js';
import type { TierConfig } from '../config.js';

export type { CachedEntry } from '../cache/entry.js';

/** An entry found by a lookup, with its payload size. */
export interface FoundEntry extends CachedEntry {
  /** Payload length (bytes, characters). */
  bytes: number;
}

/** A semantic lookup: nearest neighbour within a scope, above a cosine similarity threshold. */
export interface SemanticQuery {
  embedding: Float32Array | number[];
  /** Cosine similarity a match must reach (0..1). */
  threshold: number;
  /** Restrict to this contact (scopeFilter contact), tenant (scopeFilter tenant), or nothing. */
  contact?: number;
  tenant?: number;
  /** Only entries of this op (key class). */
  op: string;
  /** Only entries unexpired at this trace time (ms): `expiresAt > validAt`. */
  validAt?: number;
}

export interface SemanticHit extends FoundEntry {
  /** Cosine similarity of the match (0..1). */
  similarity: number;
  key: string;
}

/** A value to store. */
export interface WriteRequest {
  /** Numeric key id (dense, from the trace) and its string form (`op:id`). */
  keyId: number;
  key: string;
  op: string;
  entry: CachedEntry;
  /** Logical TTL (ms); the backend's clean-up expiry. */
  ttlMs: number;
  payload: string;
  /** Semantic tiers only. */
  embedding?: Float32Array | number[];
}

/** Commands a clustered backend was sent, per node and per slot. */
export interface NodeCommands {
  /** Per master node (`host:port`, the owner of the key's slot when the command was sent). */
  nodes: Record<string, number>;
  /** Sparse: [slot, commands] for every slot that got a command. */
  slots: [number, number][];
}

/** Sum per-node and per-slot command counts. */
export function mergeNodeCommands(parts: readonly NodeCommands[]): NodeCommands {
  const nodes: Record<string, number> = {};
  const slots = new Map<number, number>();
  for (const p of parts) {
    for (const [n, c] of Object.entries(p.nodes)) nodes[n] = (nodes[n] ?? 0) + c;
    for (const [s, c] of p.slots) slots.set(s, (slots.get(s) ?? 0) + c);
  }
  return { nodes, slots: [...slots].sort((a, b) => a[0] - b[0]) };
}

/** A real tier. Every method may reject (backend error or timeout); the runner fails open. */
export interface TierAdapter {
  readonly name: string;
  readonly kind: TierConfig['kind'];
  /** Exact lookup by key; null when absent. */
  get(keyId: number, key: string): Promise<FoundEntry | null>;
  /** Store `w`; resolves (to whatever the backend answered) when stored. */
  set(w: WriteRequest): Promise<unknown>;
  delete(keyId: number, key: string): Promise<void>;
  /** Semantic nearest neighbour (semantic tiers only). */
  search?(q: SemanticQuery): Promise<SemanticHit | null>;
  /** Backend versions for the result's env (e.g. { redis: '7.0.15' }). */
  info(): Promise<Record<string, string>>;
  /** Clustered backends: the commands this adapter sent, per node and slot. */
  commandsByNode?(): NodeCommands | undefined;
  /** Remove everything this run wrote (never anything else); returns the entries removed. */
  cleanup(): Promise<number>;
  close(): Promise<void>;
}

/** Connection settings shared by the adapters of one run. */
export interface AdapterOptions {
  /** Identifies what this run owns: the Redis key prefix and the Postgres table suffix. */
  runId: string;
  redisUrl: string;
  /** Redis Cluster seeds (`host:port` or `redis://` / `rediss://` URLs); when given, `redisUrl` is ignored. */
  redisCluster?: string[];
  /** CA certificate(s) (PEM) for `rediss://` servers; default: the system's. */
  redisTlsCa?: string;
  /** The file `redisTlsCa` came from (for the commands printed to users). */
  redisTlsCaFile?: string;
  pgUrl: string;
  /**
   * The Postgres is the embedded PGlite: one backend session shared by every connection of the
   * socket server, so statements must not be named (two connections would prepare the same name).
   */
  pgEmbedded?: boolean;
  /** Timeout of every backend call (ms). */
  timeoutMs: number;
  /** Create an HNSW index on the embedding column. */
  hnsw: boolean;
  /** Embedding dimensions of semantic tiers. */
  dimensions: number;
  /**
   * Redis auto-pipelining (default on). Off when one request is in flight at a time (closed loop,
   * concurrency 1): there is nothing to pipeline, and each command would pay for a pipeline object
   * and a deferred write — client time inside every measured lookup.
   */
  autoPipelining?: boolean;
}

/** Serialize an entry's metadata and payload into one string (Redis values). */
export function encodeEntry(e: CachedEntry, payload: string): string {
  return `${e.expiresAt}|${e.createdAt}|${e.version}|${e.entity}|${e.gen}|${e.aux}|${e.contact}|${e.tenant}|${payload}`;
}

/** Parse `encodeEntry` output; null when malformed. */
export function decodeEntry(s: string): FoundEntry | null {
  // Fields into a scratch array (no array per lookup): decoding is synchronous.
  const f = decoded;
  let start = 0;
  for (let i = 0; i < 8; i++) {
    const bar = s.indexOf('|', start);
    if (bar < 0) return null;
    f[i] = Number(s.slice(start, bar));
    start = bar + 1;
  }
  return {
    expiresAt: f[0]!,
    createdAt: f[1]!,
    version: f[2]!,
    entity: f[3]!,
    gen: f[4]!,
    aux: f[5]!,
    contact: f[6]!,
    tenant: f[7]!,
    bytes: s.length - start,
  };
}
const decoded = new Float64Array(8);

/** Reject with a timeout error when `p` has not settled after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|\[?::ffff:127(?:\.\d{1,3}){3}\]?)$/i;

/** Whether a host name is the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Host of a URL or `host:port`; '' when it cannot be parsed. */
export function hostOf(urlOrHostPort: string): string {
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHostPort)) return new URL(`tcp://${urlOrHostPort}`).hostname;
    return new URL(urlOrHostPort).hostname;
  } catch {
    return '';
  }
}
