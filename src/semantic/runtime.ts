/**
 * What the simulation loop calls for semantic tiers, freshness policies and bypass safety, so
 * the engine needs only a few call sites: `instance` when building tiers, `similar` after an
 * exact miss, `onHit` on every hit, `writeTtl` on every write, `onMessage` on messages, and
 * `finish` when assembling the result.
 */
import type { Scenario, TierConfig } from '../config.js';
import type { TokenLedger } from '../cost.js';
import type { SimulateResult } from '../model/results.js';
import type { KeyedStore } from '../tiers/store.js';
import { TierInstance } from '../sim/tier-model.js';
import type { EventSource, SimEvent } from '../trace/types.js';
import { SemanticCounters } from './correctness.js';
import { adaptiveTtlMs, velocityAdaptive, VelocityTracker } from './freshness.js';
import { assertNotBypassed } from './safety.js';
import type { VectorSource } from './trace-vectors.js';
import { isSemantic, SemanticContext, SemanticTierInstance, semanticResult, type VectorHook } from './tier.js';

export class SemanticRuntime {
  private readonly ctx: SemanticContext | null;
  private readonly counters = new Map<string, SemanticCounters[]>();
  private readonly velocity: VelocityTracker | null;

  /** `source` may offer its own vectors (`VectorSource.vectorOf`, e.g. a recorded trace with embeddings). */
  constructor(
    private readonly scenario: Scenario,
    private readonly opNames: string[],
    source: EventSource & Partial<VectorSource>,
  ) {
    const tiers = scenario.tiers.filter((t) => t.enabled);
    const hook: VectorHook | undefined = source.vectorOf?.bind(source);
    this.ctx = tiers.some(isSemantic) ? new SemanticContext(scenario, hook) : null;
    this.velocity = velocityAdaptive(tiers) ? new VelocityTracker(source.contacts) : null;
  }

  /** A tier instance: semantic tiers get a SemanticTierInstance. */
  instance(cfg: TierConfig, entities: number): TierInstance {
    if (!isSemantic(cfg) || this.ctx === null) return new TierInstance(cfg.capacity, cfg.eviction, entities);
    let c = this.counters.get(cfg.name);
    if (!c) this.counters.set(cfg.name, (c = this.opNames.map(() => new SemanticCounters())));
    return new SemanticTierInstance(cfg, entities, this.ctx, c);
  }

  /** After an exact miss of an LLM op: a similarity hit's slot, or -1 (always -1 for exact tiers). */
  similar(inst: TierInstance, ev: SimEvent, now: number): number {
    return inst instanceof SemanticTierInstance ? inst.lookupSimilar(ev, now) : -1;
  }

  /**
   * A hit at `inst`/`slot` (slot -1: served by the system of record). Fails the run if the request
   * should have bypassed the cache; classifies semantic hits; refreshes the expiry when the tier
   * slides TTLs on hits.
   */
  onHit(cfg: TierConfig, inst: TierInstance | null, slot: number, ev: SimEvent, baseTtlMs: number, now: number): void {
    assertNotBypassed(ev, cfg.name, this.opNames[ev.op] ?? String(ev.op));
    if (inst === null || slot < 0) return;
    if (inst instanceof SemanticTierInstance) inst.recordHit(ev, slot, inst.store.keyOf[slot] === ev.key);
    if (cfg.refreshOnHit && baseTtlMs >= 0) refresh(inst.store, slot, now + this.writeTtl(cfg, baseTtlMs, ev.contact, now));
  }

  /** TTL (ms) of a write: the base TTL, or the velocity-adaptive one. */
  writeTtl(cfg: TierConfig, baseTtlMs: number, contact: number, now: number): number {
    const a = cfg.adaptiveTtl;
    if (a === null || this.velocity === null || a.exponent === 0) return baseTtlMs;
    return adaptiveTtlMs(baseTtlMs, this.velocity.perHour(contact, now), a);
  }

  onMessage(contact: number, t: number): void {
    this.velocity?.onMessage(contact, t);
  }

  /** Price embeddings into the ledger; return `SimulateResult.semantic`. */
  finish(ledger: TokenLedger): SimulateResult['semantic'] {
    if (this.ctx === null) return undefined;
    ledger.embeddingCalls += this.ctx.embeddingCalls;
    ledger.embeddingTokens += this.ctx.embeddingCalls * this.scenario.embedding.tokensPerCall;
    return semanticResult(
      [...this.counters].map(([name, counters]) => ({ name, counters })),
      this.opNames,
    );
  }
}

function refresh(store: KeyedStore, slot: number, expiresAt: number): void {
  if (expiresAt > store.expiresAt[slot]!) store.expiresAt[slot] = expiresAt;
}
