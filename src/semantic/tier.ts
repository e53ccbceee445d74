/**
 * The simulator's semantic tier: a TierInstance (same store, TTL and invalidation rules as an
 * exact tier) annotated by a SemanticIndex. A lookup first tries the exact key; an eligible
 * request (one with a vector: a ground-truth intent, or an embedding from its source) that
 * misses then searches by similarity within the tier's scope filter. Every hit of an eligible
 * request is classified against the ground truth (correct / false / stale / leak).
 *
 * The engine calls: `lookup` (inherited contract), `lookupSimilar` after an exact miss,
 * `recordHit` on a hit; writes go through the inherited `write`, which indexes the vector of the
 * request that last looked this tier up.
 */
import type { Scenario, TierConfig } from '../config.js';
import type { SemanticStats } from '../model/results.js';
import type { Generations } from '../cache/entry.js';
import { TierInstance } from '../tiers/model.js';
import type { SimEvent } from '../trace/types.js';
import { classifyHit, SemanticCounters } from './correctness.js';
import { SyntheticEmbedder } from '../vectors/embeddings.js';
import { SemanticIndex } from './vector-index.js';

/** Optional source hook: write the event's own vector (trace-carried or pre-embedded) and return true. */
export type VectorHook = (ev: SimEvent, out: Float32Array, offset: number) => boolean;

/** Per-run state shared by the semantic tiers: the embedding space and the current query vector. */
export class SemanticContext {
  readonly dim: number;
  readonly synthetic: SyntheticEmbedder;
  /** Vector of the request being served. */
  readonly q: Float32Array;
  private stampT = NaN;
  private stampKey = NaN;
  private stampPara = NaN;
  private hasVector = false;

  constructor(
    scenario: Scenario,
    private readonly hook?: VectorHook,
  ) {
    this.synthetic = SyntheticEmbedder.forScenario(scenario);
    this.dim = scenario.embedding.dim;
    this.q = new Float32Array(this.dim);
  }

  /** Compute (once per request) the request's vector into `q`; false when it has none. */
  vectorOf(ev: SimEvent): boolean {
    if (ev.t === this.stampT && ev.key === this.stampKey && ev.paraphrase === this.stampPara) return this.hasVector;
    this.stampT = ev.t;
    this.stampKey = ev.key;
    this.stampPara = ev.paraphrase;
    this.hasVector = this.hook?.(ev, this.q, 0) === true || this.synthetic.embedRequest(ev.intent, ev.paraphrase, this.q);
    return this.hasVector;
  }
}

const NO_KEY = -1;

export class SemanticTierInstance extends TierInstance {
  readonly index: SemanticIndex;
  private pendingKey = NO_KEY;
  private pendingContact = 0;
  private pendingTenant = 0;
  private pendingIntent = -1;
  private pendingOp = -1;

  constructor(
    readonly cfg: TierConfig,
    gens: Generations,
    readonly ctx: SemanticContext,
    /** Counters per op index, shared by the instances of this tier. */
    readonly counters: SemanticCounters[],
  ) {
    super(cfg.capacity, cfg.eviction, gens);
    this.index = new SemanticIndex({ dim: ctx.dim, capacity: cfg.capacity, store: this.store, pivots: cfg.scopeFilter !== 'contact' });
  }

  protected override dropped(slot: number): void {
    this.index.detach(slot);
  }

  override write(key: number, now: number, expiresAt: number, createdAt: number, version: number, entity: number, aux: number): number {
    const slot = super.write(key, now, expiresAt, createdAt, version, entity, aux);
    if (slot < 0) return slot;
    if (key === this.pendingKey) {
      this.index.attach(slot, key, this.ctx.q, 0, this.pendingContact, this.pendingTenant, this.pendingIntent, this.pendingOp);
    } else this.index.detach(slot); // written without a vector: exact-only entry
    return slot;
  }

  /**
   * After an exact miss: the best valid entry within the scope at cosine >= threshold, or -1.
   * Counts the embedding call and whether a correct answer was present (recall).
   */
  lookupSimilar(ev: SimEvent, now: number): number {
    this.pendingKey = NO_KEY;
    if (!this.ctx.vectorOf(ev)) return -1;
    const c = this.counters[ev.op]!;
    c.lookups++;
    c.embeddingCalls++;
    this.pendingKey = ev.key;
    this.pendingContact = ev.contact;
    this.pendingTenant = ev.tenant;
    this.pendingIntent = ev.intent;
    this.pendingOp = ev.op;
    let first = true;
    for (;;) {
      const s = this.index.search(this.ctx.q, 0, this.cfg.scopeFilter, ev.contact, ev.tenant, this.cfg.threshold, now, ev.intent, ev.version, ev.op);
      if (first && this.index.lastAnswerable) c.answerable++;
      first = false;
      if (s < 0) return -1;
      const valid = this.lookup(this.index.keyAt(s), now); // expiry and invalidation, as for an exact hit
      if (valid >= 0) {
        c.similarityHits++;
        return valid;
      }
    }
  }

  /** Classify a hit served to an eligible request (exact or similar). */
  recordHit(ev: SimEvent, slot: number, exact: boolean): void {
    const c = this.counters[ev.op]!;
    if (exact) {
      // An exact hit needs no embedding; it still counts for precision and recall.
      if (ev.intent < 0 || !this.index.isLive(slot)) return;
      c.lookups++;
      c.answerable++;
    }
    const ix = this.index;
    c.record(classifyHit(ev.contact, ev.tenant, ev.intent, ev.version, ix.contact[slot]!, ix.tenant[slot]!, ix.intent[slot]!, this.store.version[slot]!));
  }
}

/** True for a tier whose instances must be SemanticTierInstance. */
export function isSemantic(cfg: TierConfig): boolean {
  return cfg.match === 'semantic';
}

/** `SimulateResult.semantic`: totals plus per tier and per op; undefined without semantic tiers. */
export function semanticResult(
  tiers: { name: string; counters: SemanticCounters[] | null }[],
  opNames: string[],
): (SemanticStats & { byTier: Record<string, SemanticStats>; byOp: Record<string, SemanticStats> }) | undefined {
  const sem = tiers.filter((t) => t.counters !== null);
  if (sem.length === 0) return undefined;
  const total = new SemanticCounters();
  const byTier: Record<string, SemanticStats> = {};
  const perOp = opNames.map(() => new SemanticCounters());
  for (const t of sem) {
    const tierTotal = new SemanticCounters();
    t.counters!.forEach((c, i) => {
      tierTotal.add(c);
      perOp[i]!.add(c);
    });
    byTier[t.name] = tierTotal.toStats();
    total.add(tierTotal);
  }
  const byOp: Record<string, SemanticStats> = {};
  perOp.forEach((c, i) => {
    if (c.lookups > 0 || c.hits > 0) byOp[opNames[i]!] = c.toStats();
  });
  return { ...total.toStats(), byTier, byOp };
}
