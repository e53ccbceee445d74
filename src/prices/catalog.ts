/**
 * The shipped, dated price catalog (prices/catalog.json): per model, input, output, cache read and
 * cache write prices and the shortest cacheable prefix, each entry with its source and as-of date.
 * A scenario names a model from it and may override any field (src/config.ts).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

/** One catalog entry (USD per 1M tokens; null where the provider has no such price). */
export interface PriceEntry {
  provider: string;
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** Price of a prompt-cache hit; null = the model has no prompt cache. */
  cacheReadPerMTok: number | null;
  /** Price of tokens written with the 5-minute TTL; null = writes cost the input price. */
  cacheWrite5mPerMTok: number | null;
  /** Price of tokens written with the 1-hour TTL; null = no such option (or input price). */
  cacheWrite1hPerMTok: number | null;
  /** Shortest prefix the provider caches (tokens); null = unknown. */
  minCacheTokens: number | null;
  /** Date (YYYY-MM-DD) the prices were last confirmed against `source`. */
  asOf: string;
  source: string;
}

export interface PriceCatalog {
  schema: string;
  /** Date (YYYY-MM-DD) every entry was checked against its source. */
  checkedOn: string;
  note: string;
  models: PriceEntry[];
}

/** Both src/prices and dist/prices sit two levels below the package root. */
const CATALOG_URL = new URL('../../prices/catalog.json', import.meta.url);

let cached: PriceCatalog | null = null;

export function loadCatalog(): PriceCatalog {
  cached ??= JSON.parse(readFileSync(CATALOG_URL, 'utf8')) as PriceCatalog;
  return cached;
}

export function catalogEntry(model: string): PriceEntry | undefined {
  return loadCatalog().models.find((m) => m.model === model);
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to `n` names closest to `name` (substring matches first, then by edit distance). */
export function nearNames(name: string, names: readonly string[], n = 3): string[] {
  const q = name.toLowerCase();
  const score = (c: string) => (c.toLowerCase().includes(q) || q.includes(c.toLowerCase()) ? 0 : 1) * 1000 + editDistance(q, c.toLowerCase());
  return [...names].sort((a, b) => score(a) - score(b) || a.localeCompare(b)).slice(0, n);
}

/** The catalog entry of `model`, or an InputError (exit 2) that suggests near names. */
export function requireCatalogModel(model: string, what = '--model'): PriceEntry {
  const e = catalogEntry(model);
  if (e) return e;
  throw new InputError(unknownModelMessage(model, what));
}

export function unknownModelMessage(model: string, what: string): string {
  const near = nearNames(model, loadCatalog().models.map((m) => m.model));
  return `${what}: unknown model ${JSON.stringify(model)}; did you mean ${near.join(', ')}? (\`llmcache prices\` lists the catalog)`;
}
