/**
 * The one request walk (docs/architecture.md, "The request walk"): every decision about how a
 * request passes through the tier stack, written once and driven by both engines —
 * `simulate` (virtual time, synchronous, one reused walk, nothing allocated per request) and
 * `bench` (real time, async backends, one walk per request in flight).
 *
 * A driver only performs what the walk asks for, against its own tiers:
 *
 *     walk.begin(op, context, depth, worker, now, version, contact);
 *     for (let k = walk.nextLookup(); k !== END; k = walk.nextLookup()) {
 *       if (walk.servedByRecord(k)) break;          // (bench times the read first)
 *       ... look the key up in instance walk.instance(k) of tier k; an entry that is not
 *       `isLive` is a miss (and dropped) ...
 *       if (found && walk.found(k, createdAt, version, aux)) break;
 *     }
 *     walk.settle();                                // hit and stale counters
 *     ... a hit: walk.refreshedExpiry() (sliding TTL); a full miss of an LLM op: call the LLM ...
 *     for (let k = walk.nextWrite(); k !== END; k = walk.nextWrite())
 *       ... write { expiresAt: now + walk.writeTtl(k), createdAt: walk.createdAt,
 *                   version: walk.version, gen: walk.gen(k, entity), aux: walk.windowDepth(k) } ...
 *
 * The rules, in order: a tier whose ttl lacks the op is skipped (the system of record still
 * serves memory-context reads); every visited tier counts a lookup; a context read passes over a
 * tier whose window is shallower than the read without a call; the system of record serves every
 * context read that reaches it; an expired or invalidated entry is a miss; a cached window
 * shallower than the read is a miss; a hit back-fills the tiers above it (those with `backfill`
 * and a ttl for the op, never the system of record) with the ORIGINAL version and creation time
 * and a window as deep as both the tier and the source hold; a full miss writes back to every
 * caching tier; writes live the base TTL or the velocity-adaptive one.
 *
 * Innermost, in front of the model, is the provider's prompt cache (`ModelStage`): an LLM request
 * that no tier served (`walk.reachesModel`), or that bypasses the tiers, reaches the model through it.
 */
import type { AdaptiveTtlConfig, Scenario, TierConfig } from '../config.js';
import type { Bills, PromptCacheStats } from '../model/results.js';
import { BillKeeper, type PrefixBlocks } from '../promptcache/bills.js';
import type { TokenLedger } from '../cost.js';
import * as prefixKinds from '../trace/types.js';
import type { SimEvent } from '../trace/types.js';
import { adaptiveTtlMs, velocityAdaptive, VelocityTracker } from './freshness.js';
import { activeTiers, depthIndex, invalidationTargets, ttlMs, windowTtlMs } from './policy.js';
import { MEMORY_DEPTHS } from '../trace/types.js';
import { Generations } from './entry.js';

/** `nextLookup` / `nextWrite`: no tier left. `hitTier`: no tier served the request. */
export const END = -1;

/** Index in MEMORY_DEPTHS of the full history (what the system of record holds). */
export const FULL_DEPTH = MEMORY_DEPTHS.length - 1;

/**
 * END and FULL_DEPTH as the walk's steps read them: the optimizing compiler folds a module's
 * private constants, while it loads and checks an exported binding at every use.
 */
const NO_TIER = END;
const DEEPEST = FULL_DEPTH;
const { PREFIX_NONE } = prefixKinds;

/** One tier of the stack as the walk sees it: its policy, generations and counters. */
export interface WalkTier {
  readonly cfg: TierConfig;
  /** One instance per worker (scope worker), else one shared instance. */
  readonly perWorker: boolean;
  /** TTL per op index (ms); -1 = the tier does not cache the op. */
  readonly ttl: Float64Array;
  /** TTL (ms) of the conversation window written through on a message; -1 = none. */
  readonly windowTtl: number;
  /** Index in MEMORY_DEPTHS of the deepest window the tier holds. */
  readonly depth: number;
  /** The system of record: holds the whole history, serves every context read reaching it. */
  readonly sor: boolean;
  /** `cfg.backfill` and `cfg.refreshOnHit`, read on every request. */
  readonly backfill: boolean;
  readonly refreshOnHit: boolean;
  /** The velocity-adaptive TTL of the tier's writes, or null for its base TTLs. */
  readonly adaptive: AdaptiveTtlConfig | null;
  /** Invalidation generations per instance. */
  readonly gens: Generations[];
  /** Per op index: lookups, hits and stale hits (version differs from the request's). */
  readonly lookups: Float64Array;
  readonly hits: Float64Array;
  readonly stale: Float64Array;
  /** Context reads served by this tier as the system of record. */
  sorReads: number;
}

/** The stack of one run (or one bench process): tiers, counters, generations, message velocity. */
export class WalkPlan {
  readonly tiers: WalkTier[];
  /** Tiers that receive a contact's conversation window on each message (write-through). */
  readonly windowTiers: number[];
  readonly writeThrough: boolean;
  /** Invalidations applied (tier instances cleared, summed over entity changes). */
  invalidations = 0;
  /**
   * The walk's rules read as tables, built once per plan so a step of `RequestWalk` is a table
   * read (docs/architecture.md, "The request walk"): which tiers a request visits and which it
   * writes to depend only on its op, whether it reads context, its depth and the serving tier.
   * `route` holds END-terminated runs of tier indices; `lookupStart` / `writeStart` index them.
   */
  readonly route: Int32Array;
  /** Per route position of a lookup: the flat counter (`lookupCounts`) it counts in; a system-of-record read counts in the spare last cell. */
  readonly countAt: Int32Array;
  /** Start in `route` of the lookups, per (context, op, depth variant): see `lookupRun`. */
  readonly lookupStart: Int32Array;
  /** Start in `route` of the writes, per (context, op, serving tier + 1): see `writeRun`. */
  readonly writeStart: Int32Array;
  /** Per tier: 1 for the system of record, 1 for one instance per worker, the depth index held, 1 for adaptive write TTLs. */
  readonly sorFlag: Uint8Array;
  readonly perWorkerFlag: Uint8Array;
  readonly depthOf: Int8Array;
  readonly adaptiveFlag: Uint8Array;
  /** TTL (ms) per tier and op, at `k * ops + op`; -1 = not cached. */
  readonly ttlFlat: Float64Array;
  /** Counters per tier and op at `k * ops + op` (each tier's `lookups`, `hits`, `stale` are views of these). */
  readonly lookupCounts: Float64Array;
  readonly hitCounts: Float64Array;
  readonly staleCounts: Float64Array;
  readonly ops: number;
  private readonly velocity: VelocityTracker | null;
  /** Per tier, per handling worker: the instances an entity change clears. */
  private readonly targets: number[][][];

  /**
   * `workers`: logical workers whose worker-scoped instances this plan holds; `entities` and
   * `contacts` size the generation and velocity tables (they grow past them).
   */
  constructor(scenario: Scenario, opNames: readonly string[], workers: number, entities: number, contacts: number) {
    const active = activeTiers(scenario);
    const nOps = opNames.length;
    const nTiers = active.length;
    this.ops = nOps;
    this.velocity = velocityAdaptive(active) ? new VelocityTracker(contacts) : null;
    this.lookupCounts = new Float64Array(nTiers * nOps + 1);
    this.hitCounts = new Float64Array(nTiers * nOps);
    this.staleCounts = new Float64Array(nTiers * nOps);
    this.tiers = active.map((cfg, k) => {
      const perWorker = cfg.scope === 'worker';
      const counters = (flat: Float64Array) => flat.subarray(k * nOps, (k + 1) * nOps);
      return {
        cfg,
        perWorker,
        ttl: Float64Array.from(opNames.map((n) => ttlMs(cfg, n))),
        windowTtl: windowTtlMs(cfg, scenario),
        depth: depthIndex(cfg),
        sor: cfg.systemOfRecord,
        backfill: cfg.backfill,
        refreshOnHit: cfg.refreshOnHit,
        adaptive: this.velocity !== null && cfg.adaptiveTtl !== null && cfg.adaptiveTtl.exponent !== 0 ? cfg.adaptiveTtl : null,
        gens: Array.from({ length: perWorker ? workers : 1 }, () => new Generations(entities)),
        lookups: counters(this.lookupCounts),
        hits: counters(this.hitCounts),
        stale: counters(this.staleCounts),
        sorReads: 0,
      };
    });
    const tiers = this.tiers;
    this.sorFlag = Uint8Array.from(tiers, (t) => (t.sor ? 1 : 0));
    this.perWorkerFlag = Uint8Array.from(tiers, (t) => (t.perWorker ? 1 : 0));
    this.depthOf = Int8Array.from(tiers, (t) => t.depth);
    this.adaptiveFlag = Uint8Array.from(tiers, (t) => (t.adaptive === null ? 0 : 1));
    this.ttlFlat = new Float64Array(nTiers * nOps);
    tiers.forEach((t, k) => this.ttlFlat.set(t.ttl, k * nOps));

    // The rules, applied once per kind of request (the order of the tests is the walk's).
    const route: number[] = [END];
    const countAt: number[] = [0];
    const spare = nTiers * nOps;
    this.lookupStart = new Int32Array(2 * nOps * DEPTH_VARIANTS);
    this.writeStart = new Int32Array(2 * nOps * (nTiers + 1));
    for (let c = 0; c < 2; c++) {
      const context = c === 1;
      for (let op = 0; op < nOps; op++) {
        for (let d = 0; d < DEPTH_VARIANTS; d++) {
          this.lookupStart[(c * nOps + op) * DEPTH_VARIANTS + d] = route.length;
          tiers.forEach((t, k) => {
            if (t.ttl[op]! < 0 && !(context && t.sor)) return;
            // A tier that never holds that much history is passed over without a call: not a lookup.
            if (context && !t.sor && t.depth < d) return;
            route.push(k);
            // A read from the system of record is not a cache lookup: `servedByRecord` counts it apart,
            // so the tiers' shares (hits / requests) sum to the hit rate (docs/reports.md).
            countAt.push(context && t.sor ? spare : k * nOps + op);
          });
          route.push(END);
          countAt.push(spare);
        }
        // After a hit at tier h, the back-fill of the tiers above it that have `backfill`; after a
        // full miss (h = END), every caching tier; never the system of record for a window.
        for (let h = END; h < nTiers; h++) {
          this.writeStart[(c * nOps + op) * (nTiers + 1) + h + 1] = route.length;
          const upTo = h === END ? nTiers : h;
          for (let k = 0; k < upTo; k++) {
            const t = tiers[k]!;
            if (t.ttl[op]! < 0 || (context && t.sor) || (h !== END && !t.backfill)) continue;
            route.push(k);
            countAt.push(spare);
          }
          route.push(END);
          countAt.push(spare);
        }
      }
    }
    this.route = Int32Array.from(route);
    this.countAt = Int32Array.from(countAt);
    this.windowTiers = this.tiers.flatMap((t, k) => (t.windowTtl >= 0 ? [k] : []));
    this.writeThrough = scenario.memoryWriteThrough;
    this.targets = active.map((cfg) => Array.from({ length: workers }, (_, w) => invalidationTargets(scenario.invalidation, cfg.scope, w, workers)));
  }

  /** A message of `contact` at trace time `t` (ms): feeds the velocity; true when windows are written through. */
  message(contact: number, t: number): boolean {
    this.velocity?.onMessage(contact, t);
    return this.writeThrough;
  }

  /** An entity change handled by worker `w`: clear it in every instance the invalidation mode reaches. */
  invalidate(w: number, entity: number): void {
    for (let k = 0; k < this.tiers.length; k++) {
      const gens = this.tiers[k]!.gens;
      for (const i of this.targets[k]![w]!) {
        gens[i]!.bump(entity);
        this.invalidations++;
      }
    }
  }

  /** TTL (ms) of a write of base TTL `baseMs` to tier `k`: the base, or the velocity-adaptive one. */
  writeTtl(k: number, baseMs: number, contact: number, now: number): number {
    const a = this.tiers[k]!.adaptive;
    return a === null ? baseMs : adaptiveTtlMs(baseMs, this.velocity!.perHour(contact, now), a);
  }

  /** Start in `route` of the lookups of a request for `op` (`context`: a read of depth index `depth`). */
  lookupRun(op: number, context: boolean, depth: number): number {
    // Depths below the shallowest and beyond the deepest a tier holds behave alike: one variant each.
    const d = context ? (depth < 0 ? 0 : depth > DEEPEST ? DEEPEST + 1 : depth) : 0;
    return this.lookupStart[((context ? this.ops : 0) + op) * DEPTH_VARIANTS + d]!;
  }

  /** Start in `route` of the writes of a request for `op` served by tier `hitTier` (END: nothing served). */
  writeRun(op: number, context: boolean, hitTier: number): number {
    return this.writeStart[((context ? this.ops : 0) + op) * (this.tiers.length + 1) + hitTier + 1]!;
  }
}

/** Depth variants of a context read the routes tell apart: each depth index, and deeper than any tier holds. */
const DEPTH_VARIANTS = DEEPEST + 2;

/** The walk of one request through a WalkPlan's stack (reusable: `begin` starts the next one). */
export class RequestWalk {
  private readonly tiers: WalkTier[];
  private readonly route: Int32Array;
  private readonly countAt: Int32Array;
  private readonly lookupCounts: Float64Array;
  private readonly hitCounts: Float64Array;
  private readonly staleCounts: Float64Array;
  private readonly sorFlag: Uint8Array;
  private readonly perWorkerFlag: Uint8Array;
  private readonly depthOf: Int8Array;
  private readonly adaptiveFlag: Uint8Array;
  private readonly ttlFlat: Float64Array;
  private readonly ops: number;
  private op = 0;
  private context = false;
  private depth = 0;
  private worker = 0;
  private now = 0;
  private contact = 0;
  private requestVersion = 0;
  /** False (bench warm-up): requests walk, nothing is counted. Set before `begin`. */
  measure = true;
  /** Position in the plan's `route` of the current lookup, then of the current write. */
  private cursor = 0;
  private writeCursor = 0;
  /** Index of the serving tier, or END. */
  hitTier = NO_TIER;
  /** The serving tier served a cached entry (false: nothing, or the system of record). */
  hitEntry = false;
  /** Version and creation time (ms) of what was found — the request's own after a miss; a write carries these. */
  version = 0;
  createdAt = 0;
  /** Depth of what was found: a cached window, or the full history from the system of record. */
  foundDepth = DEEPEST;

  constructor(readonly plan: WalkPlan) {
    this.tiers = plan.tiers;
    this.route = plan.route;
    this.countAt = plan.countAt;
    this.lookupCounts = plan.lookupCounts;
    this.hitCounts = plan.hitCounts;
    this.staleCounts = plan.staleCounts;
    this.sorFlag = plan.sorFlag;
    this.perWorkerFlag = plan.perWorkerFlag;
    this.depthOf = plan.depthOf;
    this.adaptiveFlag = plan.adaptiveFlag;
    this.ttlFlat = plan.ttlFlat;
    this.ops = plan.ops;
  }

  /**
   * Start a request for op index `op` (`context`: a memory-context read of depth index `depth`)
   * on logical worker `worker` at trace time `now` (ms), for an entity at version `version`.
   * What is found is set by `found` and, when nothing was, by `settle`: `begin` stores only what
   * it is given, small enough for the optimizing compiler to inline it into a driver's loop.
   */
  begin(op: number, context: boolean, depth: number, worker: number, now: number, version: number, contact: number): void {
    this.op = op;
    this.context = context;
    this.depth = depth;
    this.worker = worker;
    this.now = now;
    this.contact = contact;
    this.requestVersion = version;
    this.cursor = this.plan.lookupRun(op, context, depth) - 1;
    this.hitTier = NO_TIER;
    this.hitEntry = false;
  }

  /** The next tier to look up (its lookup is counted), or END. */
  nextLookup(): number {
    const i = ++this.cursor;
    const k = this.route[i]!;
    if (k !== NO_TIER && this.measure) this.lookupCounts[this.countAt[i]!]++;
    return k;
  }

  /** Instance of tier `k` serving this request's worker. */
  instance(k: number): number {
    return this.perWorkerFlag[k] === 1 ? this.worker : 0;
  }

  /** Generations of the instance of tier `k` serving this request. */
  generations(k: number): Generations {
    return this.tiers[k]!.gens[this.instance(k)]!;
  }

  /** True (and the walk ends at `k`) when tier `k` is the system of record and this is a context read: the read is the service. */
  servedByRecord(k: number): boolean {
    if (!this.context || this.sorFlag[k] === 0) return false;
    if (this.measure) this.tiers[k]!.sorReads++;
    this.hitTier = k;
    return true;
  }

  /**
   * A live entry found in tier `k` (created at `createdAt`, at `version`, `aux` its window depth
   * for context reads): true when it serves the request (the walk ends), false for a window
   * shallower than the read (a miss).
   */
  found(k: number, createdAt: number, version: number, aux: number): boolean {
    if (this.context && aux < this.depth) return false;
    this.hitTier = k;
    this.hitEntry = true;
    this.version = version;
    this.createdAt = createdAt;
    this.foundDepth = aux;
    return true;
  }

  /**
   * After the lookups: count the serving tier's hit, stale when the entry's version is not the
   * request's (a read served by the system of record is not a cache hit: counted in `sorReads`),
   * and line up the writes of this outcome for `nextWrite`.
   */
  settle(): void {
    if (!this.hitEntry) {
      // Nothing cached served it: the writes carry the request's own version and time, and the full history.
      this.version = this.requestVersion;
      this.createdAt = this.now;
      this.foundDepth = DEEPEST;
    }
    const hit = this.hitTier;
    this.writeCursor = this.plan.writeRun(this.op, this.context, hit) - 1;
    if (hit === NO_TIER || !this.measure || !this.hitEntry) return;
    const c = hit * this.ops + this.op;
    this.hitCounts[c]++;
    if (this.version !== this.requestVersion) this.staleCounts[c]++;
  }

  /** A hit on a cached entry of a tier that slides its TTL: the expiry (ms) the hit pushes it to; else -1. */
  refreshedExpiry(): number {
    if (!this.hitEntry) return -1;
    const k = this.hitTier;
    const base = this.ttlFlat[k * this.ops + this.op]!;
    if (!this.tiers[k]!.refreshOnHit || base < 0) return -1;
    return this.now + this.plan.writeTtl(k, base, this.contact, this.now);
  }

  /** After `settle`: the next tier to write the value to, or END: the back-fill above a hit, or every caching tier after a full miss. */
  nextWrite(): number {
    return this.route[++this.writeCursor]!;
  }

  /** After `settle`: an LLM request that no tier served goes on to the model, through the prompt cache (`ModelStage`). */
  get reachesModel(): boolean {
    return !this.context && this.hitTier === NO_TIER;
  }

  /** TTL (ms) of the write to tier `k`. */
  writeTtl(k: number): number {
    const base = this.ttlFlat[k * this.ops + this.op]!;
    return this.adaptiveFlag[k] === 0 ? base : this.plan.writeTtl(k, base, this.contact, this.now);
  }

  /** A window written to tier `k` is as deep as the tier holds and the source had. */
  windowDepth(k: number): number {
    const d = this.depthOf[k]!;
    return d < this.foundDepth ? d : this.foundDepth;
  }

  /** Generation stamp of `entity` for a write to tier `k`. */
  gen(k: number, entity: number): number {
    return this.generations(k).of(entity);
  }
}

/** How the model stage prices a recorded trace's requests. */
export interface ModelPricing {
  /** Name of a trace model id (SimEvent.model), when the source has names. */
  modelName?: (id: number) => string;
  /** `--model`: every request priced by it, whatever the trace says. */
  forcedModel?: string;
}

/**
 * The innermost stage of the walk, in front of the model: the provider's prompt cache
 * (src/promptcache/), computed from each request's prompt prefix (no provider is called), and the
 * three bills it decides (no caching; prompt caching only; the tiers + prompt caching).
 *
 * Both engines drive it in trace order, where every request of every worker passes (a provider's
 * prompt cache is shared by all of an application's workers):
 *
 *     stage.request(ev)        every LLM request the application makes, before any tier;
 *     ... the walk ...
 *     if (walk.reachesModel || bypassed) ms += stage.call(ev);   // the stack's prompt cache
 *
 * `simulate` calls both from its event loop; `bench` from its coordinator, with the outcome the
 * worker's walk reported. `measure` false (bench warm-up) serves the prompt caches and counts nothing.
 *
 * With the prompt cache off, most requests add nothing but their tokens to their op's bills:
 * `simulate` gives the stage only the requests it `sees` and hands its token ledger to `finish`,
 * which bills the rest from it (docs/architecture.md, "The request walk").
 */
export class ModelStage {
  private readonly keeper: BillKeeper;
  private readonly prefillMsPerToken: number;
  /** True when the provider prompt cache is modelled (not `off`). */
  private readonly caching: boolean;

  constructor(scenario: Scenario, opNames: readonly string[], pricing: ModelPricing = {}) {
    this.keeper = new BillKeeper(scenario, opNames, pricing.modelName, pricing.forcedModel);
    this.prefillMsPerToken = scenario.promptCache.prefillMsPerToken;
    this.caching = this.keeper.enabled;
  }

  /**
   * Whether request `ev` must be given to `request` and `call`: with the prompt cache modelled,
   * every request; with it off, one that names a model or describes a prompt prefix (it is priced
   * or counted by them). An engine may leave the others out when its ledger counts their tokens.
   */
  sees(ev: SimEvent): boolean {
    return this.caching || ev.model >= 0 || ev.prefixKind !== PREFIX_NONE;
  }

  /** `call` of a request the stage does not see: the prefill time (ms) of all its input tokens. */
  prefillMs(ev: SimEvent): number {
    return this.prefillMsPerToken * ev.tokensIn;
  }

  /**
   * An LLM request as the application makes it: the noCache and promptCacheOnly bills. `blocks`:
   * where its prefix's block ids are kept for its `call`, when other requests come in between
   * (bench's lanes); default one memo, for a `call` that follows at once.
   */
  request(ev: SimEvent, measure = true, blocks?: PrefixBlocks): void {
    this.keeper.request(ev, measure, blocks);
  }

  /**
   * A request that reached the model: the stack's prompt cache serves its prefix and it is billed.
   * Returns the prefill time (ms) of the input tokens the prompt cache did not serve.
   */
  call(ev: SimEvent, measure = true, blocks?: PrefixBlocks): number {
    const cached = this.keeper.call(ev, measure, blocks);
    return this.prefillMsPerToken * (ev.tokensIn - cached);
  }

  /** A new bench trial on a fresh stack: the prompt caches start empty; the bills go on. */
  clearCaches(): void {
    this.keeper.clearCaches();
  }

  /** Requests that described their prompt prefix / named their model (measured ones). */
  get withPrefix(): number {
    return this.keeper.withPrefix;
  }
  get withModel(): number {
    return this.keeper.withModel;
  }

  /**
   * The bills projected to a month from a window of `windowDays`, the prompt cache's counters
   * (absent when off) and the assumptions in words. `ledger`: the engine's token ledger, when it
   * left out requests the stage does not `see` (they are billed from it).
   */
  finish(windowDays: number, ledger?: TokenLedger): { bills: Bills; promptCache?: PromptCacheStats; assumptions: string[] } {
    if (ledger) this.keeper.billUnseen(ledger);
    const f = this.keeper.finish(windowDays);
    return { bills: f.bills, ...(this.keeper.enabled && { promptCache: f.promptCache }), assumptions: this.keeper.assumptions() };
  }
}
