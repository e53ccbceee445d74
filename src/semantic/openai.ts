/**
 * (c) An OpenAI-compatible embeddings client: POST {url} with `{ model, input: [...] }`, read
 * `data[].embedding` (ordered by `data[].index` when present). Batched, with a timeout on every
 * call; the URL is redacted in every error. Used by ./embedders.ts (`--embedder url`) to embed
 * the texts of a recorded trace before a simulation.
 */
import { redact } from '../errors.js';
import { normalize } from '../vectors/embeddings.js';

export interface OpenAIEmbedderOptions {
  /** Full endpoint URL, e.g. http://127.0.0.1:8080/v1/embeddings. */
  url: string;
  model: string;
  /** Sent as a Bearer token when given; never printed. */
  apiKey?: string;
  /** Per-call timeout (ms). */
  timeoutMs?: number;
  /** Inputs per request. */
  batchSize?: number;
  /** Injected fetch (tests). */
  fetch?: typeof fetch;
}

/** An embeddings endpoint failed: bad status, bad body, timeout or unreachable. */
export class EmbeddingError extends Error {}

export interface EmbedStats {
  /** HTTP requests made. */
  calls: number;
  /** Texts embedded. */
  inputs: number;
  /** Tokens the endpoint reported (usage.prompt_tokens), 0 when it reports none. */
  tokens: number;
}

export class OpenAIEmbedder {
  readonly stats: EmbedStats = { calls: 0, inputs: 0, tokens: 0 };
  private readonly opts: Required<Omit<OpenAIEmbedderOptions, 'apiKey'>> & { apiKey?: string };

  constructor(opts: OpenAIEmbedderOptions) {
    this.opts = { timeoutMs: 10_000, batchSize: 64, fetch: globalThis.fetch, ...opts };
    if (!(this.opts.batchSize >= 1)) throw new RangeError('batchSize must be >= 1');
  }

  /** Embed `texts` in batches; returns one unit vector per text, in order. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.opts.batchSize) {
      out.push(...(await this.call(texts.slice(i, i + this.opts.batchSize))));
    }
    return out;
  }

  private async call(input: string[]): Promise<Float32Array[]> {
    const where = redact(this.opts.url);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // fetch refuses URLs with credentials: move them to a Basic header (a Bearer key wins).
    let url = this.opts.url;
    try {
      const u = new URL(url);
      if (u.username || u.password) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
        u.username = '';
        u.password = '';
        url = u.href;
      }
    } catch {
      throw new EmbeddingError(`embeddings endpoint ${where}: not a URL`);
    }
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    let res: Response;
    try {
      res = await this.opts.fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.opts.model, input }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (e) {
      const err = e as Error;
      const why = err.name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : redact(err.message);
      throw new EmbeddingError(`embeddings endpoint ${where}: ${why}`);
    }
    this.stats.calls++;
    if (!res.ok) throw new EmbeddingError(`embeddings endpoint ${where}: HTTP ${res.status}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new EmbeddingError(`embeddings endpoint ${where}: the answer is not JSON`);
    }
    const data = (body as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingError(`embeddings endpoint ${where}: expected data[] with ${input.length} embeddings`);
    }
    const rows = data.map((d: { index?: number; embedding?: unknown }, i) => ({ index: d.index ?? i, embedding: d.embedding }));
    rows.sort((a, b) => a.index - b.index);
    const vectors = rows.map((r, i) => {
      if (!Array.isArray(r.embedding) || r.embedding.length === 0 || !r.embedding.every((x) => typeof x === 'number')) {
        throw new EmbeddingError(`embeddings endpoint ${where}: data[${i}].embedding is not an array of numbers`);
      }
      const v = Float32Array.from(r.embedding as number[]);
      normalize(v);
      return v;
    });
    this.stats.inputs += input.length;
    const usage = (body as { usage?: { prompt_tokens?: unknown } }).usage;
    if (usage && typeof usage.prompt_tokens === 'number') this.stats.tokens += usage.prompt_tokens;
    return vectors;
  }
}
