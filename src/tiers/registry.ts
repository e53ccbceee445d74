/**
 * The one registry of bench tier adapters: tier kind -> factory. A factory builds the adapter
 * of one tier and connects it; an unreachable backend is an InputError (exit 2) that names the
 * URL (password redacted) and says how to start it.
 */
import type { TierConfig, TierKind } from '../config.js';
import { InputError, redact } from '../errors.js';
import { hostOf, isLoopbackHost, type AdapterOptions, type TierAdapter } from './adapter.js';
import { MemoryTier } from './memory.js';

export type { TierAdapter, AdapterOptions } from './adapter.js';

/**
 * Builds and connects the adapter of one tier. The Redis and Postgres adapters load their driver
 * (ioredis, pg) on first use: a run without such a tier never loads it.
 */
export type TierFactory = (cfg: TierConfig, o: AdapterOptions) => Promise<TierAdapter>;

const TIER_FACTORIES: ReadonlyMap<TierKind, TierFactory> = new Map<TierKind, TierFactory>([
  ['memory', async (cfg) => new MemoryTier(cfg)],
  [
    'redis',
    async (cfg, o) => {
      const { redisTier } = await import('./redis.js');
      const t = redisTier(cfg, o);
      await t.connect(o.timeoutMs);
      return t;
    },
  ],
  [
    'pgvector',
    async (cfg, o) => {
      const { pgvectorTier } = await import('./pgvector.js');
      const t = pgvectorTier(cfg, o);
      await t.connect();
      return t;
    },
  ],
]);

/** Build and connect the adapter of `cfg`. */
export async function createTier(cfg: TierConfig, o: AdapterOptions): Promise<TierAdapter> {
  const f = TIER_FACTORIES.get(cfg.kind);
  if (!f) throw new InputError(`tier ${cfg.name}: no bench adapter for kind ${JSON.stringify(cfg.kind)} (known: ${[...TIER_FACTORIES.keys()].join(', ')})`);
  return f(cfg, o);
}

/**
 * Refuse a backend that is not on the loopback interface unless the user allowed it: a bench
 * writes (under its own prefix / table) and should never surprise a shared server.
 */
export function assertLoopback(what: string, urlOrHostPort: string, allowRemote: boolean): void {
  if (allowRemote) return;
  const host = hostOf(urlOrHostPort);
  if (!isLoopbackHost(host)) {
    throw new InputError(`${what} ${redact(urlOrHostPort)} is not on the loopback interface; pass --allow-remote to bench a remote backend.`);
  }
}
