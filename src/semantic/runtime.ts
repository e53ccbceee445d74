/**
 * What the simulation loop calls for semantic tiers and bypass safety, so the engine needs only
 * a few call sites: `instance` when building tiers, `similar` after an exact miss, `onHit` on
 * every hit, and `finish` when assembling the result. (Write TTLs, adaptive or not, are the
 * shared walk's: src/cache/walk.ts.)
 */
import type { Scenario, TierConfig } from '../config.js';
import type { TokenLedger } from '../cost.js';
import type { SimulateResult } from '../model/results.js';
import type { Generations } from '../cache/entry.js';
import type { TierInstance } from '../tiers/model.js';
import { modelTier } from '../tiers/registry.js';
import type { EventSource, SimEvent } from '../trace/types.js';
import { SemanticCounters } from './correctness.js';
import { assertNotBypassed } from './safety.js';
import type { VectorSource } from '../trace/vectors.js';
import { isSemantic, SemanticContext, SemanticTierInstance, semanticResult, type VectorHook } from './tier.js';

export class SemanticRuntime {
  private readonly ctx: SemanticContext | null;
  private readonly counters = new Map<string, SemanticCounters[]>();

  /** `source` may offer its own vectors (`VectorSource.vectorOf`, e.g. a recorded trace with embeddings). */
  constructor(
    private readonly scenario: Scenario,
    private readonly opNames: string[],
    source: EventSource & Partial<VectorSource>,
  ) {
    const tiers = scenario.tiers.filter((t) => t.enabled);
    const hook: VectorHook | undefined = source.vectorOf?.bind(source);
    this.ctx = tiers.some(isSemantic) ? new SemanticContext(scenario, hook) : null;
  }

  /** A tier instance: semantic tiers get a SemanticTierInstance. */
  instance(cfg: TierConfig, gens: Generations): TierInstance {
    if (!isSemantic(cfg) || this.ctx === null) return modelTier(cfg, gens);
    let c = this.counters.get(cfg.name);
    if (!c) this.counters.set(cfg.name, (c = this.opNames.map(() => new SemanticCounters())));
    return new SemanticTierInstance(cfg, gens, this.ctx, c);
  }

  /** Whether lookups of this tier also search by similarity (a semantic tier in a run with vectors). */
  searches(cfg: TierConfig): boolean {
    return isSemantic(cfg) && this.ctx !== null;
  }

  /** After an exact miss of an LLM op: a similarity hit's slot, or -1 (always -1 for exact tiers). */
  similar(inst: TierInstance, ev: SimEvent, now: number): number {
    return inst instanceof SemanticTierInstance ? inst.lookupSimilar(ev, now) : -1;
  }

  /** A hit at `inst`/`slot` (slot -1: served by the system of record). Fails the run if the request should have bypassed the cache; classifies semantic hits. */
  onHit(cfg: TierConfig, inst: TierInstance | null, slot: number, ev: SimEvent): void {
    assertNotBypassed(ev, cfg.name, this.opNames);
    if (slot >= 0 && this.ctx !== null && inst instanceof SemanticTierInstance) inst.recordHit(ev, slot, inst.store.keyOf[slot] === ev.key);
  }

  /** Price embeddings into the ledger; return `SimulateResult.semantic`. */
  finish(ledger: TokenLedger): SimulateResult['semantic'] {
    if (this.ctx === null) return undefined;
    const result = semanticResult(
      [...this.counters].map(([name, counters]) => ({ name, counters })),
      this.opNames,
    );
    // One count everywhere: the bill prices the embedding calls the result reports.
    const calls = result?.embeddingCalls ?? 0;
    ledger.embeddingCalls += calls;
    ledger.embeddingTokens += calls * this.scenario.embedding.tokensPerCall;
    return result;
  }
}
