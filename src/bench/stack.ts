/**
 * The tier stack of one bench process, over real adapters. The walk itself — which tiers a
 * request visits, what counts as a hit, what is back-filled with which version, TTLs,
 * generations — is the shared one (src/cache/walk.ts) that the simulator drives too; this file
 * only performs its steps against async backends, in real time, with one walk per request in
 * flight. So at concurrency 1 both count the same lookups, hits, stale hits and misses per
 * exact-match tier (the agreement invariant).
 *
 * It hosts one or more logical workers: worker-scoped tiers get one adapter per worker, shared
 * tiers one for all. Invalidations arrive from the coordinator in trace order (`invalidate`) —
 * the way a pub/sub broadcast would reach each process.
 */
import { performance } from 'node:perf_hooks';
import type { Scenario, TierConfig } from '../config.js';
import { FastRecorder, newHistogram, type Histogram } from '../histogram.js';
import { isLive, NO_ENTITY, type CachedEntry } from '../cache/entry.js';
import { END, RequestWalk, WalkPlan, type WalkTier } from '../cache/walk.js';
import { bypasses, RNG_STREAM, windowKey } from '../cache/policy.js';
import { LatencySampler, Rng } from '../stats/random.js';
import type { FoundEntry, SemanticHit, TierAdapter } from '../tiers/adapter.js';
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

/** A blank job, for `fillJob` (src/bench/runner.ts) to fill. */
export function newJob(): BenchJob {
  return { op: 0, key: 0, contact: 0, tenant: 0, entity: -1, version: 0, depth: -1, t: 0, stream: false, toolUse: false, measure: false, intent: -1, paraphrase: -1, embedding: undefined, vector: undefined };
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
  /** A tail regression: this share (0..1) of the lookups, evenly spread, each wait `tailMs` longer. */
  tailShare?: number;
  tailMs?: number;
  /** Lookups seen so far (spreads the tail share deterministically). */
  tailSeen?: number;
}

/** Counters and histograms of one tier, in one process (lookups, hits and stale hits: the walk's). */
export interface TierCounters {
  errors: number;
  writes: number;
  writeErrors: number;
  firstError?: string;
  /** Lookup latencies (µs) recorded so far: add `latency` with `flushLatency` before reading. */
  histogram: Histogram;
  /** The measured path records into this (see FastRecorder); `flushLatency` moves it into `histogram`. */
  latency: FastRecorder;
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
  /** The walk's view of the tier: policy, generations, lookups / hits / stale per op. */
  walk: WalkTier;
  adapters: TierAdapter[];
  counters: TierCounters;
  faults?: TierFaults;
  /** Lookups also search by similarity (a semantic tier on a backend that can). */
  similar: boolean;
}

export class BenchStack {
  readonly opNames: string[];
  readonly tiers: TierSlot[];
  /** The shared walk's policy, generations, counters and message velocity. */
  readonly plan: WalkPlan;
  private readonly isContext: Uint8Array;
  private readonly llm: LatencySampler[];
  private readonly rng: Rng;
  private readonly payload: string;
  private readonly o: StackOptions;
  /** The semantic path (src/bench/semantic.ts), when a tier searches by similarity. */
  private readonly semantic: BenchSemantic | null;
  /** Walks of finished requests, for the next ones. */
  private readonly walks: RequestWalk[] = [];

  constructor(scenario: Scenario, opNames: string[], o: StackOptions) {
    this.o = o;
    this.opNames = opNames;
    this.isContext = Uint8Array.from(opNames.map((n) => (scenario.ops[n]?.kind === 'context' ? 1 : 0)));
    this.llm = opNames.map((n) => new LatencySampler(scenario.ops[n]?.llmLatency ?? { constant: 0 }));
    this.rng = new Rng(scenario.seed, RNG_STREAM.latency);
    this.payload = 'v'.repeat(o.valueBytes);
    this.plan = new WalkPlan(scenario, opNames, o.workers, o.entities, o.entities);
    this.tiers = this.plan.tiers.map((walk, k) => {
      const cfg = walk.cfg;
      const similar = BenchSemantic.searches(cfg, o.adapters[k]![0]);
      const f = o.faults?.[cfg.name];
      return {
        cfg,
        walk,
        similar,
        adapters: o.adapters[k]!,
        counters: newCounters(similar),
        // Its own copy: a stall (see `stall`) must not outlive the stack.
        faults: f && { ...f },
      };
    });
    this.semantic = this.tiers.some((t) => t.similar) ? new BenchSemantic(scenario) : null;
  }

  /** Bump the generation of `entity` in instance `inst` of tier `k` (an invalidation the coordinator routed here). */
  invalidate(k: number, inst: number, entity: number): void {
    this.tiers[k]!.walk.gens[inst]!.bump(entity);
  }

  /** Write-through of a contact's conversation window on a message event (handling worker `w`). */
  async message(w: number, contact: number, seq: number, t: number): Promise<number> {
    if (!this.plan.message(contact, t)) return 0;
    let errors = 0;
    for (const k of this.plan.windowTiers) {
      const tr = this.tiers[k]!;
      const ttl = tr.walk.windowTtl;
      const entry: CachedEntry = { expiresAt: t + ttl, createdAt: t, version: seq, entity: NO_ENTITY, gen: 0, aux: tr.walk.depth, contact, tenant: 0 };
      if (!(await this.write(tr, tr.walk.perWorker ? w : 0, windowKey(contact), `window:${contact}`, 'memory', entry, ttl))) errors++;
    }
    return errors;
  }

  /** Serve one request through the stack on logical worker `w`. */
  async request(w: number, j: BenchJob): Promise<JobOutcome> {
    const op = j.op;
    const context = this.isContext[op] === 1;
    if (!context && bypasses(j.stream, j.toolUse)) {
      if (this.o.llmTimeScale > 0) await this.callLlm(op);
      return { hitTier: END, llmCall: true, bypass: true, errors: 0 };
    }
    const keyId = context ? windowKey(j.contact) : j.key;
    const key = context ? `window:${j.contact}` : `${this.opNames[op]}:${j.key}`;
    const opName = this.opNames[op]!;
    let errors = 0;
    // Tiers whose lookup failed in this request: not written back to, so a lost backend costs
    // a request one timeout, not one per call.
    let failed = 0;
    let found: FoundEntry | null = null;
    // One walk per request: requests of other workers interleave at every await. Walks are
    // reused (`walks`), so the in-flight requests share a handful of them.
    const walk = this.walks.pop() ?? new RequestWalk(this.plan);
    walk.measure = j.measure;
    walk.begin(op, context, j.depth, w, j.t, j.version, j.contact);
    for (let k = walk.nextLookup(); k !== END; k = walk.nextLookup()) {
      const tr = this.tiers[k]!;
      const inst = walk.instance(k);
      const gens = walk.generations(k);
      let e: FoundEntry | null;
      let exact = true;
      const sem = tr.similar && !context ? this.semantic : null;
      const t0 = performance.now();
      try {
        // The plain lookup awaits the adapter itself: a layer less (a promise less) per request.
        e = await (tr.faults === undefined && sem === null
          ? tr.adapters[inst]!.get(keyId, key)
          : this.lookup(tr, inst, keyId, key, t0, sem && (async (found) => {
              // An exact entry that is no longer valid is a miss: search by similarity instead.
              if (found !== null && isLive(j.t, found.expiresAt, found.entity, found.gen, gens)) return found;
              exact = false;
              return sem.similar(tr.cfg, tr.adapters[inst]!, opName, j, gens, tr.counters.semantic!, j.measure);
            })));
        if (j.measure) tr.counters.latency.record((performance.now() - t0) * 1000);
      } catch (err) {
        errors++;
        failed |= 1 << k;
        noteError(tr.counters, err, j.measure);
        continue; // fail open: a miss
      }
      if (walk.servedByRecord(k)) break;
      if (e === null) continue;
      if (!isLive(j.t, e.expiresAt, e.entity, e.gen, gens)) {
        // Expired or invalidated: a miss. The in-process store drops it now (as the simulator
        // does); a remote tier keeps it until overwritten or cleaned up — unbounded, so no
        // hit or miss differs.
        if (tr.cfg.kind === 'memory') await tr.adapters[inst]!.delete(keyId, key);
        continue;
      }
      if (!walk.found(k, e.createdAt, e.version, e.aux)) continue;
      found = e;
      if (sem && j.measure) sem.recordHit(j, e, exact, tr.counters.semantic!);
      break;
    }
    walk.settle();

    let llmCall = false;
    if (found) {
      const expiresAt = walk.refreshedExpiry();
      if (expiresAt > found.expiresAt) {
        // Sliding TTL: the hit pushes the expiry out (never in), as the simulator does.
        const tr = this.tiers[walk.hitTier]!;
        // A similarity hit refreshes the entry it found (its own key; the backend keeps its vector).
        const own = 'similarity' in found ? (found as SemanticHit).key : key;
        if (!(await this.write(tr, walk.instance(walk.hitTier), own === key ? keyId : -1, own, opName, { ...found, expiresAt }, expiresAt - j.t))) errors++;
      }
    } else if (walk.reachesModel) {
      if (this.o.llmTimeScale > 0) await this.callLlm(op);
      llmCall = true;
    }

    for (let k = walk.nextWrite(); k !== END; k = walk.nextWrite()) {
      const tr = this.tiers[k]!;
      if ((failed >>> k) & 1) continue;
      const life = walk.writeTtl(k);
      const aux = context ? walk.windowDepth(k) : j.intent;
      const entry: CachedEntry = { expiresAt: j.t + life, createdAt: walk.createdAt, version: walk.version, entity: j.entity, gen: walk.gen(k, j.entity), aux, contact: j.contact, tenant: j.tenant };
      const vector = tr.similar && !context ? this.semantic!.vectorOf(j) : null;
      // As `write`, inlined: a layer less (a promise less) per request.
      tr.counters.writes++;
      try {
        await tr.adapters[walk.instance(k)]!.set({ keyId, key, op: opName, entry, ttlMs: life, payload: this.payload, embedding: vector ?? undefined });
      } catch (err) {
        noteWriteError(tr.counters, err);
        errors++;
      }
    }
    const hitTier = walk.hitTier;
    this.walks.push(walk);
    return { hitTier, llmCall, bypass: false, errors };
  }

  /**
   * A lookup with injected faults or a similarity search, from `t0` (performance.now(), ms): the
   * caller times it. `then` (semantic tiers) continues an exact miss with the similarity search,
   * inside the same timing.
   */
  private async lookup(
    tr: TierSlot,
    inst: number,
    keyId: number,
    key: string,
    t0: number,
    then?: ((found: FoundEntry | null) => Promise<FoundEntry | null>) | null,
  ): Promise<FoundEntry | null> {
    const f = tr.faults;
    if (f?.stallUntil !== undefined && t0 < f.stallUntil) await sleep(f.stallUntil - t0);
    let e = await tr.adapters[inst]!.get(keyId, key);
    if (then) e = await then(e);
    if (f?.delayFraction) {
      const until = performance.now() + (performance.now() - t0) * f.delayFraction;
      while (performance.now() < until) {
        /* busy wait: sub-millisecond precision */
      }
    }
    if (f?.tailShare && inTail(f)) await sleep(f.tailMs ?? 0);
    return e;
  }

  private async write(tr: TierSlot, inst: number, keyId: number, key: string, op: string, entry: CachedEntry, ttl: number, embedding?: number[]): Promise<boolean> {
    tr.counters.writes++;
    try {
      await tr.adapters[inst]!.set({ keyId, key, op, entry, ttlMs: ttl, payload: this.payload, embedding });
      return true;
    } catch (err) {
      noteWriteError(tr.counters, err);
      return false;
    }
  }

  /** The simulated LLM call's sleep (only with a time scale: its latency draws feed nothing else). */
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

function newCounters(semantic: boolean): TierCounters {
  return {
    errors: 0,
    writes: 0,
    writeErrors: 0,
    histogram: newHistogram(),
    latency: new FastRecorder(),
    semantic: semantic ? new SemanticCounters() : null,
  };
}

/** The tier's lookup histogram with every latency recorded so far. */
export function flushLatency(c: TierCounters): Histogram {
  c.latency.flushInto(c.histogram);
  return c.histogram;
}

function noteWriteError(c: TierCounters, err: unknown): void {
  c.writeErrors++;
  c.firstError ??= (err as Error).message;
}

function noteError(c: TierCounters, err: unknown, measure: boolean): void {
  if (measure) c.errors++;
  c.firstError ??= (err as Error).message;
}

/** Whether this lookup is one of the `tailShare` slowed ones: lookup n is when ⌊n·share⌋ steps up. */
function inTail(f: TierFaults): boolean {
  const n = (f.tailSeen = (f.tailSeen ?? 0) + 1);
  return Math.floor(n * f.tailShare!) > Math.floor((n - 1) * f.tailShare!);
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
