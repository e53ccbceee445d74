/**
 * Vectors for recorded traces: a request's own `embedding` (source d) or, failing that, its
 * `text` through the built-in hashed embedder (source b); an OpenAI-compatible endpoint (source
 * c) is wired in by ./embedders.ts. An event source exposes them to the simulator through
 * `VectorSource.vectorOf` (the semantic context prefers it over the synthetic ground truth).
 */
import type { RequestEvent, SimEvent } from './types.js';
import { fromTrace, HashedTextEmbedder } from '../vectors/embeddings.js';

/** An event source that can give the vector of the event it just delivered. */
export interface VectorSource {
  vectorOf(ev: SimEvent, out: Float32Array, offset: number): boolean;
}

/** Fill `out` from a record's embedding (normalised; must have `dim` numbers) or its text. */
export class TraceVectors {
  private readonly text: HashedTextEmbedder;

  constructor(readonly dim: number) {
    this.text = new HashedTextEmbedder(dim);
  }

  fill(rec: Pick<RequestEvent, 'embedding' | 'text'>, out: Float32Array, offset = 0): boolean {
    if (rec.embedding) {
      fromTrace(rec.embedding, this.dim, out, offset);
      return true;
    }
    if (rec.text !== undefined && rec.text.trim() !== '') {
      this.text.embed(rec.text, out, offset);
      return true;
    }
    return false;
  }
}
