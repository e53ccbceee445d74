/**
 * Which embedding source a command uses for a recorded trace (`--embedder`, `--embed-url`,
 * `--embed-model`), as a `RecordVectors` function for the trace reader:
 *  - `synthetic`: the ground truth only (a request's intent / paraphrase; no trace vectors);
 *  - `text` (default for traces): the vector the trace carries, else the built-in hashed n-gram
 *    embedder over the request's text;
 *  - `url`: the vector the trace carries, else its text embedded by an OpenAI-compatible endpoint
 *    (one pre-pass over the trace embeds every distinct text in batches; API key from
 *    OPENAI_API_KEY, never printed). The scenario's embedding dimensions and model follow the
 *    endpoint's.
 * Embedding calls of the semantic tiers are counted and priced by the simulator as for any source.
 */
import type { Scenario } from '../config.js';
import { InputError, redact } from '../errors.js';
import { openTraceSource, type RecordVectors } from '../trace/reader.js';
import { newSimEvent, EVENT_REQUEST } from '../trace/types.js';
import { fromTrace } from '../vectors/embeddings.js';
import { EmbeddingError, OpenAIEmbedder } from './openai.js';
import { TraceVectors } from '../trace/vectors.js';

export const EMBEDDERS = ['synthetic', 'text', 'url'] as const;
export type EmbedderKind = (typeof EMBEDDERS)[number];

export interface EmbedderCliOptions {
  embedder?: string;
  embedUrl?: string;
  embedModel?: string;
}

/** The chosen embedder; `--embed-url` alone means `url`. Invalid combinations are InputErrors. */
export function embedderKind(o: EmbedderCliOptions): EmbedderKind {
  const kind = (o.embedder ?? (o.embedUrl ? 'url' : 'text')) as EmbedderKind;
  if (!EMBEDDERS.includes(kind)) throw new InputError(`--embedder: expected one of ${EMBEDDERS.join(', ')}, got ${JSON.stringify(o.embedder)}`);
  if (kind === 'url' && !o.embedUrl) throw new InputError('--embedder url needs --embed-url URL (an OpenAI-compatible /v1/embeddings endpoint)');
  if (kind !== 'url' && o.embedUrl) throw new InputError(`--embed-url is only used with --embedder url (got --embedder ${kind})`);
  return kind;
}

/** A trace vector with the wrong dimensions is an input error naming both. */
function carried(embedding: readonly number[], dim: number, out: Float32Array, offset: number): void {
  if (embedding.length !== dim) throw new InputError(`a trace embedding has ${embedding.length} dimensions, the scenario's embedding.dim is ${dim}`);
  fromTrace(embedding, dim, out, offset);
}

/**
 * The vectors of a recorded trace for `kind`. For `url`, embeds the trace's texts first and
 * updates `scenario.embedding` (dim, model) to the endpoint's. `log` gets one progress line.
 */
export async function traceVectors(
  kind: EmbedderKind,
  scenario: Scenario,
  trace: string,
  o: EmbedderCliOptions & { skipInvalid?: boolean },
  log: (line: string) => void = () => {},
): Promise<RecordVectors> {
  const dim = scenario.embedding.dim;
  if (kind === 'synthetic') return () => false;
  if (kind === 'text') {
    const text = new TraceVectors(dim);
    return (rec, out, off) => {
      if (rec.embedding) {
        carried(rec.embedding, dim, out, off);
        return true;
      }
      return text.fill(rec, out, off);
    };
  }
  // url: collect distinct texts (requests without a carried vector), embed them, then serve.
  const texts = new Set<string>();
  const pass = await openTraceSource(trace, {
    ops: Object.keys(scenario.ops),
    skipInvalid: o.skipInvalid,
    vectors: (rec) => {
      if (!rec.embedding && rec.text !== undefined && rec.text.trim() !== '') texts.add(rec.text);
      return false;
    },
  });
  const ev = newSimEvent();
  const scratch = new Float32Array(1);
  while (pass.next(ev)) if (ev.kind === EVENT_REQUEST) pass.vectorOf(ev, scratch, 0);
  const model = o.embedModel ?? scenario.embedding.model;
  const client = new OpenAIEmbedder({ url: o.embedUrl!, model, apiKey: process.env.OPENAI_API_KEY || undefined });
  const list = [...texts];
  let vectors: Float32Array[];
  try {
    vectors = await client.embed(list);
  } catch (e) {
    if (e instanceof EmbeddingError) throw new InputError(e.message);
    throw e;
  }
  const byText = new Map(list.map((t, i) => [t, vectors[i]!]));
  const d = vectors[0]?.length ?? dim;
  scenario.embedding = { ...scenario.embedding, dim: d, model };
  log(`embedded ${list.length} distinct texts through ${redact(o.embedUrl!)} (${client.stats.calls} requests, model ${model}, ${d} dimensions)`);
  return (rec, out, off) => {
    if (rec.embedding) {
      carried(rec.embedding, d, out, off);
      return true;
    }
    const v = rec.text === undefined ? undefined : byText.get(rec.text);
    if (v === undefined) return false;
    if (v.length !== d) throw new InputError(`the endpoint returned vectors of ${v.length} and ${d} dimensions`);
    out.set(v, off);
    return true;
  };
}
