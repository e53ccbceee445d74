/**
 * The semantic path of the bench stack, mirroring the simulator's semantic tier
 * (src/semantic/tier.ts) over a real pgvector table:
 *
 *  - a request has a vector when the trace carries one (`BenchJob.embedding`) or when it has a
 *    ground-truth intent: then the very embedding function of the simulator gives it
 *    (SyntheticEmbedder over the scenario's `embedding` block); computed once per request;
 *  - after an exact miss in a semantic tier: one embedding call (counted), then the backend's
 *    similarity search within the tier's scope filter (contact / tenant / none) and threshold,
 *    among unexpired entries of the same op; an entry whose invalidation generation changed is
 *    deleted and the search repeated (the simulator drops it and searches again);
 *  - every hit served to a request with an intent is classified with src/semantic/correctness.ts
 *    (correct / false / stale / leak). The entry's intent travels in `CachedEntry.aux`, which
 *    LLM-op entries do not otherwise use.
 *
 * Recall is not reported: it needs an oracle over the backend's contents (a query per lookup
 * that would add to the latencies being measured).
 */
import { NO_ENTITY, type Generations } from '../cache/entry.js';
import type { Scenario, TierConfig } from '../config.js';
import type { BenchSemanticStats } from '../model/results.js';
import { classifyHit, SemanticCounters } from '../semantic/correctness.js';
import { SyntheticEmbedder } from '../vectors/embeddings.js';
import type { FoundEntry, SemanticQuery, TierAdapter } from '../tiers/adapter.js';

/** The ground truth and vector fields of a bench request (see BenchJob). */
export interface SemanticJob {
  op: number;
  contact: number;
  tenant: number;
  version: number;
  /** Trace time (ms). */
  t: number;
  /** Ground-truth intent id, or -1. */
  intent: number;
  /** Paraphrase id of the intent (synthetic vectors), or -1. */
  paraphrase: number;
  /** A vector carried by the trace (or embedded by the source). */
  embedding?: number[];
  /** Memo of this request's vector (null: none); filled on first use. */
  vector?: number[] | null;
}

/** Semantic counters of one tier in one process, as they cross IPC. */
export interface SemanticSnapshot {
  byClass: number[];
  similarityHits: number;
  lookups: number;
  embeddingCalls: number;
}

export class BenchSemantic {
  private readonly embedder: SyntheticEmbedder;
  private readonly q: Float32Array;

  constructor(scenario: Scenario) {
    this.embedder = SyntheticEmbedder.forScenario(scenario);
    this.q = new Float32Array(scenario.embedding.dim);
  }

  /** Whether lookups of this tier search by similarity (a semantic tier whose backend can). */
  static searches(cfg: TierConfig, adapter: TierAdapter | undefined): boolean {
    return cfg.match === 'semantic' && typeof adapter?.search === 'function';
  }

  /** The request's vector (computed once), or null when it has none. */
  vectorOf(j: SemanticJob): number[] | null {
    if (j.vector !== undefined) return j.vector;
    if (j.embedding) j.vector = j.embedding;
    else j.vector = this.embedder.embedRequest(j.intent, j.paraphrase, this.q) ? Array.from(this.q) : null;
    return j.vector;
  }

  /**
   * After an exact miss: the best valid entry within the scope at similarity >= threshold, or
   * null. `gens`: the tier instance's invalidation generations.
   */
  async similar(
    cfg: TierConfig,
    adapter: TierAdapter,
    opName: string,
    j: SemanticJob,
    gens: Generations,
    counters: SemanticCounters,
    measure: boolean,
  ): Promise<FoundEntry | null> {
    const vec = this.vectorOf(j);
    if (vec === null) return null;
    if (measure) {
      counters.lookups++;
      counters.embeddingCalls++;
    }
    const q: SemanticQuery = { embedding: vec, threshold: cfg.threshold, op: opName, validAt: j.t };
    if (cfg.scopeFilter === 'contact') q.contact = j.contact;
    else if (cfg.scopeFilter === 'tenant') q.tenant = j.tenant;
    for (;;) {
      const hit = await adapter.search!(q);
      if (hit === null) return null;
      if (hit.entity !== NO_ENTITY && hit.gen !== gens.of(hit.entity)) {
        await adapter.delete(-1, hit.key); // invalidated: gone, as in the simulator; search again
        continue;
      }
      if (measure) counters.similarityHits++;
      return hit;
    }
  }

  /** Classify a hit of a semantic tier (exact: found by its own key). */
  recordHit(j: SemanticJob, e: FoundEntry, exact: boolean, counters: SemanticCounters): void {
    if (exact) {
      // As the simulator: an exact hit counts when both sides have a ground truth.
      if (j.intent < 0 || e.aux < 0) return;
      counters.lookups++;
    }
    counters.record(classifyHit(j.contact, j.tenant, j.intent, j.version, e.contact, e.tenant, e.aux, e.version));
  }
}

export function semanticSnapshot(c: SemanticCounters): SemanticSnapshot {
  return { byClass: Array.from(c.byClass), similarityHits: c.similarityHits, lookups: c.lookups, embeddingCalls: c.embeddingCalls };
}

/** `BenchResult.semantic`: totals and per tier, embedding calls priced; undefined without semantic tiers. */
export function benchSemanticResult(scenario: Scenario, tiers: { name: string; snaps: SemanticSnapshot[] }[]): BenchSemanticStats | undefined {
  if (tiers.length === 0) return undefined;
  const stats = (c: SemanticCounters) => {
    const { recall: _recall, ...s } = c.toStats();
    return { ...s, lookups: c.lookups, similarityHits: c.similarityHits };
  };
  const total = new SemanticCounters();
  const byTier: BenchSemanticStats['byTier'] = {};
  for (const t of tiers) {
    const c = new SemanticCounters();
    for (const s of t.snaps) {
      s.byClass.forEach((v, i) => (c.byClass[i]! += v));
      c.similarityHits += s.similarityHits;
      c.lookups += s.lookups;
      c.embeddingCalls += s.embeddingCalls;
    }
    byTier[t.name] = stats(c);
    total.add(c);
  }
  const e = scenario.embedding;
  return { ...stats(total), embeddingUsd: (total.embeddingCalls * e.tokensPerCall * e.usdPerMTok) / 1e6, byTier };
}
