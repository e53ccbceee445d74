/**
 * Ground-truth classification of what a cache served (docs/architecture.md, "Domain model"), and
 * the per-tier counters behind `SimulateResult.semantic`.
 */
import type { SemanticStats } from '../model/results.js';

export type HitClass = 'correct' | 'false' | 'stale' | 'leak';
export const HIT_CORRECT = 0;
export const HIT_FALSE = 1;
export const HIT_STALE = 2;
export const HIT_LEAK = 3;

/** What the request needed, or what the served entry was computed for. */
export interface Truth {
  contact: number;
  tenant: number;
  /** Intent id, or -1 when unknown (then intent is not judged). */
  intent: number;
  /** Entity version the answer depends on. */
  version: number;
}

/**
 * Classify a served entry against the request's truth. A leak (another contact or tenant) takes
 * precedence over everything: it is a security finding whatever the answer says. Then another
 * intent is a false hit, then an older entity version a stale hit. Allocation-free numeric form.
 */
export function classifyHit(
  reqContact: number,
  reqTenant: number,
  reqIntent: number,
  reqVersion: number,
  entryContact: number,
  entryTenant: number,
  entryIntent: number,
  entryVersion: number,
): number {
  if (entryContact !== reqContact || entryTenant !== reqTenant) return HIT_LEAK;
  if (reqIntent >= 0 && entryIntent >= 0 && entryIntent !== reqIntent) return HIT_FALSE;
  if (entryVersion !== reqVersion) return HIT_STALE;
  return HIT_CORRECT;
}

const NAMES: readonly HitClass[] = ['correct', 'false', 'stale', 'leak'];

/** Object form of classifyHit. */
export function classify(req: Truth, entry: Truth): HitClass {
  return NAMES[
    classifyHit(req.contact, req.tenant, req.intent, req.version, entry.contact, entry.tenant, entry.intent, entry.version)
  ]!;
}

/** Counters of one semantic tier; `toStats` turns them into the JSON contract. */
export class SemanticCounters {
  /** Hits by class, indexed by HIT_*. */
  readonly byClass = new Float64Array(4);
  /** Hits served by the similarity search (not the exact key). */
  similarityHits = 0;
  /** Lookups of eligible requests for which a correct entry was present (recall denominator). */
  answerable = 0;
  embeddingCalls = 0;
  lookups = 0;

  record(cls: number): void {
    this.byClass[cls]!++;
  }

  get hits(): number {
    const c = this.byClass;
    return c[0]! + c[1]! + c[2]! + c[3]!;
  }

  add(o: SemanticCounters): void {
    for (let i = 0; i < 4; i++) this.byClass[i]! += o.byClass[i]!;
    this.similarityHits += o.similarityHits;
    this.answerable += o.answerable;
    this.embeddingCalls += o.embeddingCalls;
    this.lookups += o.lookups;
  }

  toStats(): SemanticStats {
    const hits = this.hits;
    const correct = this.byClass[HIT_CORRECT]!;
    return {
      hits,
      correctHits: correct,
      falseHits: this.byClass[HIT_FALSE]!,
      staleHits: this.byClass[HIT_STALE]!,
      leaks: this.byClass[HIT_LEAK]!,
      precision: hits > 0 ? correct / hits : 1,
      recall: this.answerable > 0 ? Math.min(1, correct / this.answerable) : 1,
      embeddingCalls: this.embeddingCalls,
    };
  }
}
