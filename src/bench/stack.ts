/**
 * The tier stack of one bench process, over real adapters: the same walk as the simulator
 * (src/sim/engine.ts) with the same shared policy (src/sim/policy.ts), so that at concurrency 1
 * both count the same lookups, hits and misses per exact-match tier (the agreement invariant):
 *
 *  - a tier whose ttl lacks the op is skipped; every visited tier counts a lookup;
 *  - an expired (`now >= expiresAt`, trace time) or invalidated (generation changed) entry is a
 *    miss; memory-context reads need a tier whose window covers the depth; the system-of-record
 *    tier serves every read that reaches it;
 *  - a hit back-fills the tiers above it (backfill and a ttl for the op, not the system of
 *    record); a full miss calls the LLM (a sleep) and writes back to every caching tier;
 *  - streaming / tool-use requests bypass the stack.
 *
 * It hosts one or more logical workers: worker-scoped tiers get one adapter per worker, shared
 * tiers one for all. Invalidation generations live here (per tier instance and entity), fed by
 * the coordinator in trace order — the way a pub/sub broadcast would reach each process.
 */
import { performance } from 'node:perf_hooks';
import type { Scenario, TierConfig } from '../config.js';
import { newHistogram, recordUs, type Histogram } from '../histogram.js';
import { activeTiers, bypasses, depthIndex, RNG_STREAM, ttlMs, windowKey, windowTtlMs } from '../sim/policy.js';
import { LatencySampler, Rng } from '../sim/random.js';
import { adaptiveTtlMs, velocityAdaptive, VelocityTracker } from '../semantic/freshness.js';
import { MEMORY_DEPTHS } from '../trace/types.js';
import type { CachedEntry, FoundEntry, SemanticHit, TierAdapter } from '../tiers/adapter.js';
import { SemanticCounters } from '../semantic/correctness.js';
import { BenchSemantic } from './semantic.js';

/** One request, as the coordinator hands it to a worker (plain data: it crosses IPC). */
export interface BenchJob {
  op: number;
  key: number;
  contact: number;
  tenant: number;
  entity: number;
  version: number;
  depth: number;
  /** Trace time (ms): the logical clock of TTLs. */
  t: number;
  stream: boolean;
  toolUse: boolean;
  /** False during warm-up: run it, record nothing. */
  measure: boolean;
  /** Ground-truth intent, or -1 (semantic tiers: synthetic vector and correctness). */
  intent: number;
  /** Paraphrase id of the intent, or -1. */
  paraphrase: number;
  /** The request's vector when the trace carries one. */
  embedding?: number[];
  /** Memo of the request's vector (see BenchSemantic.vectorOf); never sent. */
  vector?: number[] | null;
}

/** What happened to one request. */
export interface JobOutcome {
  /** Index of the serving tier in the active stack, -1 when no tier served it. */
  hitTier: number;
  llmCall: boolean;
  bypass: boolean;
  /** Backend errors during this request (each failed open). */
  errors: number;
}

/** Fault injection on one tier's lookups. */
export interface TierFaults {
  /** Slow every lookup by this fraction of its own duration (busy wait, µs-precise). */
  delayFraction?: number;
  /** Lookups that start before this time (performance.now(), ms) wait until it: a stall. */
  stallUntil?: number;
}

/** Counters and histograms of one tier, in one process. */
export interface TierCounters {
  lookups: Float64Array;
  hits: Float64Array;
  stale: Float64Array;
  errors: number;
  writes: number;
  writeErrors: number;
  firstError?: string;
  histogram: Histogram;
  /** Semantic tiers: hits classified against the ground truth. */
  semantic: SemanticCounters | null;
}

export interface StackOptions {
  /** Logical workers hosted by this process (their worker-scoped tiers live here). */
  workers: number;
  /** Adapters per tier (stack order): one per hosted worker for worker tiers, one for shared. */
  adapters: TierAdapter[][];
  /** Payload size of stored values (bytes). */
  valueBytes: number;
  /** Simulated LLM calls sleep the op's latency × this factor (0 = no sleep). */
  llmTimeScale: number;
  /** Entity count hint for the generation tables. */
  entities: number;
  faults?: Record<string, TierFaults>;
}

interface TierSlot {
  cfg: TierConfig;
  perWorker: boolean;
  ttl: Float64Array;
  /** TTL (ms) of the conversation window written through on a message, -1 = none. */
  windowTtl: number;
  depth: number;
  sor: boolean;
  adapters: TierAdapter[];
  gens: Uint32Array[];
  counters: TierCounters;
  faults?: TierFaults;
  /** Lookups also search by similarity (a semantic tier on a backend that can). */
  similar: boolean;
}

const FULL_DEPTH = MEMORY_DEPTHS.length - 1;

export class BenchStack {
  readonly opNames: string[];
  readonly tiers: TierSlot[];
  private readonly isContext: Uint8Array;
  private readonly llm: LatencySampler[];
  private readonly rng: Rng;
  private readonly payload: string;
  private readonly o: StackOptions;
  /** Message velocity per contact, for velocity-adaptive TTLs (as the simulator keeps it). */
  private readonly velocity: VelocityTracker | null;
  private readonly writeThrough: boolean;
  /** The semantic path (src/bench/semantic.ts), when a tier searches by similarity. */
  private readonly semantic: BenchSemantic | null;

  constructor(scenario: Scenario, opNames: string[], o: StackOptions) {
    this.o = o;
    this.opNames = opNames;
    this.isContext = Uint8Array.from(opNames.map((n) => (scenario.ops[n]?.kind === 'context' ? 1 : 0)));
    this.llm = opNames.map((n) => new LatencySampler(scenario.ops[n]?.llmLatency ?? { constant: 0 }));
    this.rng = new Rng(scenario.seed, RNG_STREAM.latency);
    this.payload = 'v'.repeat(o.valueBytes);
    this.writeThrough = scenario.memoryWriteThrough;
    const active = activeTiers(scenario);
    this.velocity = velocityAdaptive(active) ? new VelocityTracker(Math.max(16, o.entities)) : null;
    this.tiers = active.map((cfg, k) => {
      const perWorker = cfg.scope === 'worker';
      const n = perWorker ? o.workers : 1;
      const similar = BenchSemantic.searches(cfg, o.adapters[k]![0]);
      const ttl = Float64Array.from(opNames.map((op) => ttlMs(cfg, op)));
      const f = o.faults?.[cfg.name];
      return {
        similar,
        cfg,
        perWorker,
        ttl,
        windowTtl: windowTtlMs(cfg, scenario),
        depth: depthIndex(cfg),
        sor: cfg.systemOfRecord,
        adapters: o.adapters[k]!,
        gens: Array.from({ length: n }, () => new Uint32Array(Math.max(16, o.entities))),
        counters: newCounters(opNames.length, similar),
        // Its own copy: a stall (see `stall`) must not outlive the stack.
        faults: f && { ...f },
      };
    });
    this.semantic = this.tiers.some((t) => t.similar) ? new BenchSemantic(scenario) : null;
  }

  /** Bump the generation of `entity` in instance `inst` of tier `k` (an invalidation). */
  invalidate(k: number, inst: number, entity: number): void {
    const tr = this.tiers[k]!;
    let g = tr.gens[inst]!;
    if (entity >= g.length) {
      let n = g.length;
      while (n <= entity) n *= 2;
      const grown = new Uint32Array(n);
      grown.set(g);
      tr.gens[inst] = g = grown;
    }
    g[entity]!++;
  }

  /** Write-through of a contact's conversation window on a message event (handling worker `w`). */
  async message(w: number, contact: number, seq: number, t: number): Promise<number> {
    this.velocity?.onMessage(contact, t);
    if (!this.writeThrough) return 0;
    let errors = 0;
    for (const tr of this.tiers) {
      const ttl = tr.windowTtl;
      if (ttl < 0) continue;
      const entry: CachedEntry = { expiresAt: t + ttl, createdAt: t, version: seq, entity: -1, gen: 0, aux: tr.depth, contact, tenant: 0 };
      if (!(await this.write(tr, tr.perWorker ? w : 0, windowKey(contact), `window:${contact}`, 'memory', entry, ttl))) errors++;
    }
    return errors;
  }

  /** Serve one request through the stack on logical worker `w`. */
  async request(w: number, j: BenchJob): Promise<JobOutcome> {
    const op = j.op;
    const context = this.isContext[op] === 1;
    if (!context && bypasses(j.stream, j.toolUse)) {
      await this.callLlm(op);
      return { hitTier: -1, llmCall: true, bypass: true, errors: 0 };
    }
    const keyId = context ? windowKey(j.contact) : j.key;
    const key = context ? `window:${j.contact}` : `${this.opNames[op]}:${j.key}`;
    let errors = 0;
    // Tiers whose lookup failed in this request: not written back to, so a lost backend costs
    // a request one timeout, not one per call.
    let failed = 0;
    let hitTier = -1;
    let found: FoundEntry | null = null;
    for (let k = 0; k < this.tiers.length; k++) {
      const tr = this.tiers[k]!;
      if (tr.ttl[op]! < 0 && !(context && tr.sor)) continue;
      if (j.measure) tr.counters.lookups[op]++;
      if (context && !tr.sor && tr.depth < j.depth) continue;
      const inst = tr.perWorker ? w : 0;
      let e: FoundEntry | null;
      let exact = true;
      const sem = tr.similar && !context ? this.semantic : null;
      try {
        e = await this.lookup(tr, inst, keyId, key, j.measure, sem && (async (found) => {
          // An exact entry that is no longer valid is a miss: search by similarity instead.
          if (found !== null && this.valid(tr, inst, found, j.t)) return found;
          exact = false;
          const genOf = (entity: number) => this.genOf(tr, inst, entity);
          return sem.similar(tr.cfg, tr.adapters[inst]!, this.opNames[op]!, j, genOf, tr.counters.semantic!, j.measure);
        }));
      } catch (err) {
        errors++;
        failed |= 1 << k;
        noteError(tr.counters, err, j.measure);
        continue; // fail open: a miss
      }
      if (context && tr.sor) {
        // The system of record holds the whole history: the read itself is the service.
        hitTier = k;
        break;
      }
      if (e === null) continue;
      if (!this.valid(tr, inst, e, j.t)) {
        // Expired or invalidated: a miss. The in-process store drops it now (as the simulator
        // does); a remote tier keeps it until overwritten or cleaned up — unbounded, so no
        // hit or miss differs.
        if (tr.cfg.kind === 'memory') await tr.adapters[inst]!.delete(keyId, key);
        continue;
      }
      if (context && e.aux < j.depth) continue;
      hitTier = k;
      found = e;
      if (sem && j.measure) sem.recordHit(j, e, exact, tr.counters.semantic!);
      break;
    }

    let version = j.version;
    let createdAt = j.t;
    let foundDepth = FULL_DEPTH;
    let llmCall = false;
    if (hitTier >= 0) {
      const tr = this.tiers[hitTier]!;
      const c = tr.counters;
      if (j.measure) c.hits[op]++;
      if (found) {
        version = found.version;
        createdAt = found.createdAt;
        foundDepth = found.aux;
        if (version !== j.version && j.measure) c.stale[op]++;
        if (tr.cfg.refreshOnHit && tr.ttl[op]! >= 0) {
          // Sliding TTL: the hit pushes the expiry out (never in), as the simulator does.
          const expiresAt = j.t + this.writeTtl(tr, tr.ttl[op]!, j.contact, j.t);
          if (expiresAt > found.expiresAt) {
            const inst = tr.perWorker ? w : 0;
            // A similarity hit refreshes the entry it found (its own key; the backend keeps its vector).
            const own = 'similarity' in found ? (found as SemanticHit).key : key;
            if (!(await this.write(tr, inst, own === key ? keyId : -1, own, this.opNames[op]!, { ...found, expiresAt }, expiresAt - j.t))) errors++;
          }
        }
      }
    } else if (!context) {
      await this.callLlm(op);
      llmCall = true;
    }

    const upTo = hitTier < 0 ? this.tiers.length : hitTier;
    for (let k = 0; k < upTo; k++) {
      const tr = this.tiers[k]!;
      const ttl = tr.ttl[op]!;
      if (ttl < 0 || (context && tr.sor) || (hitTier >= 0 && !tr.cfg.backfill) || (failed >>> k) & 1) continue;
      const aux = context ? Math.min(tr.depth, foundDepth) : j.intent;
      const inst = tr.perWorker ? w : 0;
      const gens = tr.gens[inst]!;
      const gen = j.entity < 0 ? 0 : j.entity < gens.length ? gens[j.entity]! : 0;
      const life = this.writeTtl(tr, ttl, j.contact, j.t);
      const entry: CachedEntry = { expiresAt: j.t + life, createdAt, version, entity: j.entity, gen, aux, contact: j.contact, tenant: j.tenant };
      const vector = tr.similar && !context ? this.semantic!.vectorOf(j) : null;
      if (!(await this.write(tr, inst, keyId, key, this.opNames[op]!, entry, life, vector ?? undefined))) errors++;
    }
    return { hitTier, llmCall, bypass: false, errors };
  }

  /** Whether an entry is unexpired at trace time `t` and not invalidated since it was written. */
  private valid(tr: TierSlot, inst: number, e: FoundEntry, t: number): boolean {
    return t < e.expiresAt && (e.entity === -1 || e.gen === this.genOf(tr, inst, e.entity));
  }

  private genOf(tr: TierSlot, inst: number, entity: number): number {
    const gens = tr.gens[inst]!;
    return entity < gens.length ? gens[entity]! : 0;
  }

  /**
   * One timed lookup (µs into the tier histogram), with injected faults. `then` (semantic tiers)
   * continues an exact miss with the similarity search, inside the same timing.
   */
  private async lookup(
    tr: TierSlot,
    inst: number,
    keyId: number,
    key: string,
    measure: boolean,
    then?: ((found: FoundEntry | null) => Promise<FoundEntry | null>) | null,
  ): Promise<FoundEntry | null> {
    const f = tr.faults;
    const t0 = performance.now();
    if (f?.stallUntil !== undefined && t0 < f.stallUntil) await sleep(f.stallUntil - t0);
    let e = await tr.adapters[inst]!.get(keyId, key);
    if (then) e = await then(e);
    if (f?.delayFraction) {
      const until = performance.now() + (performance.now() - t0) * f.delayFraction;
      while (performance.now() < until) {
        /* busy wait: sub-millisecond precision */
      }
    }
    if (measure) recordUs(tr.counters.histogram, (performance.now() - t0) * 1000);
    return e;
  }

  private async write(tr: TierSlot, inst: number, keyId: number, key: string, op: string, entry: CachedEntry, ttl: number, embedding?: number[]): Promise<boolean> {
    tr.counters.writes++;
    try {
      await tr.adapters[inst]!.set({ keyId, key, op, entry, ttlMs: ttl, payload: this.payload, embedding });
      return true;
    } catch (err) {
      tr.counters.writeErrors++;
      tr.counters.firstError ??= (err as Error).message;
      return false;
    }
  }

  /** TTL (ms) of a write: the base TTL, or the velocity-adaptive one (src/semantic/freshness.ts). */
  private writeTtl(tr: TierSlot, baseMs: number, contact: number, now: number): number {
    const a = tr.cfg.adaptiveTtl;
    if (a === null || this.velocity === null || a.exponent === 0) return baseMs;
    return adaptiveTtlMs(baseMs, this.velocity.perHour(contact, now), a);
  }

  private async callLlm(op: number): Promise<void> {
    const ms = this.llm[op]!.sample(this.rng) * this.o.llmTimeScale;
    if (ms > 0) await sleep(ms);
  }

  /** Stall tier `name` for `ms` from now: its lookups wait until then. */
  stall(name: string, ms: number): void {
    const tr = this.tiers.find((x) => x.cfg.name === name);
    if (tr) (tr.faults ??= {}).stallUntil = performance.now() + ms;
  }
}

function newCounters(nOps: number, semantic: boolean): TierCounters {
  return {
    lookups: new Float64Array(nOps),
    hits: new Float64Array(nOps),
    stale: new Float64Array(nOps),
    errors: 0,
    writes: 0,
    writeErrors: 0,
    histogram: newHistogram(),
    semantic: semantic ? new SemanticCounters() : null,
  };
}

function noteError(c: TierCounters, err: unknown, measure: boolean): void {
  if (measure) c.errors++;
  c.firstError ??= (err as Error).message;
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
