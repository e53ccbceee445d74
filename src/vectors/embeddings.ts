/**
 * Embeddings for the semantic tier, from four sources (issue 5):
 *  (a) synthetic ground truth: one unit centroid per intent, paraphrases as noisy copies, and
 *      near-miss intent pairs whose centroids sit at a chosen cosine so loose thresholds earn
 *      measurable false hits;
 *  (b) a deterministic text embedder with no model (hashed character n-grams and words);
 *  (c) an OpenAI-compatible endpoint (see ./openai.ts);
 *  (d) vectors carried in the trace (`RequestEvent.embedding`), passed through as they are.
 * Everything here is pure and deterministic; vectors are unit length (L2-normalised).
 */
import type { Scenario } from '../config.js';

/** Parameters of the synthetic ground-truth embedding space. */
export interface SyntheticEmbeddingConfig {
  /** Dimensions of every vector. */
  dim: number;
  /** Number of intents (centroids). */
  intents: number;
  /** Seed of the space (the scenario seed). */
  seed: number;
  /**
   * Paraphrase noise: a paraphrase is normalise(centroid + s·u) with u a random unit vector and
   * s drawn uniformly from [min, max] per paraphrase. Two paraphrases of one intent then have a
   * cosine of about 1 / (1 + s²) — s = 0.3 gives ≈ 0.92.
   */
  spread: { min: number; max: number };
  /** Intents 2k and 2k+1 (k < nearMissPairs) form a near-miss pair. */
  nearMissPairs: number;
  /** Cosine between the centroids of a near-miss pair (e.g. 0.88). */
  nearMissCosine: number;
}

/** 32-bit mix of a few integers (murmur3 finaliser over a running hash). */
export function mix32(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** One round of mix32 on a running hash (fixed arity: no rest-array allocation in hot loops). */
function mixStep(h: number, x: number): number {
  h = Math.imul(h ^ (x | 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** mulberry32: a small seeded PRNG returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianFill(out: Float32Array, rnd: () => number, offset = 0, n = out.length): void {
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rnd(), 1e-12);
    const v = rnd();
    const r = Math.sqrt(-2 * Math.log(u));
    out[offset + i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[offset + i + 1] = r * Math.sin(2 * Math.PI * v);
  }
}

/** Scale `v[offset..offset+dim)` to unit length in place; returns the old norm. */
export function normalize(v: Float32Array, offset = 0, dim = v.length - offset): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[offset + i]! * v[offset + i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < dim; i++) v[offset + i]! /= n;
  return n;
}

/** Dot product of a[ao..ao+dim) and b[bo..bo+dim) (the cosine for unit vectors). */
export function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += a[ao + i]! * b[bo + i]!;
  return s;
}

/** Noise directions precomputed per space (a power of two); each row is stored twice (see `embed`). */
const NOISE_POOL = 1024;

/**
 * The synthetic ground-truth space: centroids and a pool of unit noise directions computed once
 * (seeded Box-Muller); paraphrases on demand, by hashing only.
 */
export class SyntheticEmbedder {
  readonly dim: number;
  /** intents × dim, unit rows. */
  readonly centroids: Float32Array;
  private readonly cfg: SyntheticEmbeddingConfig;
  /** NOISE_POOL rows of 2·dim: a unit vector drawn uniformly on the sphere, written twice. */
  private noise: Float32Array | null = null;
  /** Running hash of (seed, tag): the start of every paraphrase hash. */
  private readonly space: number;

  constructor(cfg: SyntheticEmbeddingConfig) {
    if (cfg.dim < 2 || cfg.intents < 1) throw new RangeError('dim >= 2 and intents >= 1 required');
    this.cfg = cfg;
    this.dim = cfg.dim;
    const d = cfg.dim;
    const c = new Float32Array(cfg.intents * d);
    for (let k = 0; k < cfg.intents; k++) {
      gaussianFill(c, prng(mix32(cfg.seed, 0x1e7, k)), k * d, d);
      normalize(c, k * d, d);
    }
    // Near-miss pairs: rebuild the odd member as cos·a + sin·(component of its own direction ⟂ a).
    const pairs = Math.min(cfg.nearMissPairs, Math.floor(cfg.intents / 2));
    const cos = cfg.nearMissCosine;
    const sin = Math.sqrt(Math.max(0, 1 - cos * cos));
    for (let p = 0; p < pairs; p++) {
      const a = 2 * p * d;
      const b = (2 * p + 1) * d;
      const proj = dot(c, a, c, b, d);
      for (let i = 0; i < d; i++) c[b + i] = c[b + i]! - proj * c[a + i]!;
      normalize(c, b, d);
      for (let i = 0; i < d; i++) c[b + i] = cos * c[a + i]! + sin * c[b + i]!;
      normalize(c, b, d);
    }
    this.centroids = c;
    this.space = mixStep(mixStep(0x9e3779b9, cfg.seed), 0x9a7a);
  }

  /** The noise pool, built on first use (a space that embeds nothing never pays for it). */
  private pool(): Float32Array {
    const d = this.dim;
    const cfg = this.cfg;
    const noise = new Float32Array(NOISE_POOL * 2 * d);
    const rnd = prng(mix32(cfg.seed, 0x9a7a));
    for (let j = 0; j < NOISE_POOL; j++) {
      const o = 2 * j * d;
      gaussianFill(noise, rnd, o, d);
      normalize(noise, o, d);
      noise.copyWithin(o + d, o, o + d);
    }
    return (this.noise = noise);
  }

  /** The near-miss partner of an intent, or -1. */
  nearMissOf(intent: number): number {
    const pairs = Math.min(this.cfg.nearMissPairs, Math.floor(this.cfg.intents / 2));
    if (intent < 0 || intent >= 2 * pairs) return -1;
    return intent ^ 1;
  }

  /**
   * The synthetic vector of a request: the embedding of its ground-truth intent and paraphrase
   * into `out`, or false (nothing written) when it has no intent (`intent` < 0).
   */
  embedRequest(intent: number, paraphrase: number, out: Float32Array): boolean {
    if (intent < 0) return false;
    this.embed(intent, paraphrase, out);
    return true;
  }

  /** The ground-truth space of a scenario: its `embedding` block, intents and seed. */
  static forScenario(scenario: Scenario): SyntheticEmbedder {
    const e = scenario.embedding;
    return new SyntheticEmbedder({
      dim: e.dim,
      intents: scenario.workload.intents,
      seed: scenario.seed,
      spread: e.spread,
      nearMissPairs: e.nearMissPairs,
      nearMissCosine: e.nearMissCosine,
    });
  }

  /**
   * Write the vector of paraphrase `paraphrase` of `intent` into out[offset..offset+dim):
   * normalise(centroid + s·u), |s| uniform in `spread`, u a uniformly random unit direction.
   * u is ± a pooled noise vector with its coordinates rotated by a hashed offset (the doubled
   * rows make the rotation a plain offset). Rotations and the sign are orthogonal maps, so u stays
   * uniform on the sphere; the 2 · NOISE_POOL · dim directions are pairwise nearly orthogonal, so
   * distinct paraphrases get practically independent noise. Deterministic per
   * (seed, intent, paraphrase); allocates nothing; 2·dim multiply-adds, no transcendental call.
   */
  embed(intent: number, paraphrase: number, out: Float32Array, offset = 0): void {
    const d = this.dim;
    const n = this.cfg.intents;
    const k = ((intent % n) + n) % n;
    const h = mixStep(mixStep(this.space, k), paraphrase) >>> 0;
    const h2 = mixStep(h, 1) >>> 0;
    const { min, max } = this.cfg.spread;
    const s = (h2 & 1 ? -1 : 1) * (min + (max - min) * ((h2 >>> 1) / 2147483648));
    const u = this.noise ?? this.pool();
    const base = (h & (NOISE_POOL - 1)) * 2 * d + ((h >>> 10) % d);
    const c = this.centroids;
    const co = k * d;
    let norm = 0;
    for (let i = 0; i < d; i++) {
      const x = c[co + i]! + s * u[base + i]!;
      out[offset + i] = x;
      norm += x * x;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < d; i++) out[offset + i]! *= inv;
  }
}

/** FNV-1a over a string's UTF-16 code units. */
function fnv1a(s: string, from = 0, to = s.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic text embedder with no model: words and character n-grams (of the lower-cased,
 * space-padded text) are hashed into `dim` buckets with a hashed sign, then L2-normalised.
 * Paraphrases that share words and spellings land close; it knows no synonyms.
 */
export class HashedTextEmbedder {
  constructor(
    readonly dim = 256,
    readonly ngram = 3,
    /** Weight of a whole word relative to one n-gram. */
    readonly wordWeight = 2,
  ) {}

  embed(text: string, out: Float32Array = new Float32Array(this.dim), offset = 0): Float32Array {
    const d = this.dim;
    out.fill(0, offset, offset + d);
    const t = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
    const add = (h: number, w: number) => {
      out[offset + (h % d)]! += (h & 0x80000000 ? -1 : 1) * w;
    };
    for (let i = 0; i + this.ngram <= t.length; i++) add(fnv1a(t, i, i + this.ngram), 1);
    for (const word of t.split(' ')) if (word) add(fnv1a(`w:${word}`), this.wordWeight);
    normalize(out, offset, d);
    return out;
  }
}

/**
 * (d) A vector carried in the trace: copied into `out` and normalised (cosine needs unit rows).
 * Throws when its length is not `dim`.
 */
export function fromTrace(embedding: readonly number[], dim: number, out: Float32Array, offset = 0): void {
  if (embedding.length !== dim) throw new RangeError(`embedding has ${embedding.length} dimensions, expected ${dim}`);
  for (let i = 0; i < dim; i++) out[offset + i] = embedding[i]!;
  normalize(out, offset, dim);
}
