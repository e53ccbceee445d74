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

/** A kind of tier: how to build it, and the command that removes what a run left in it ('' = nothing can be left). */
interface TierKindEntry {
  create: TierFactory;
  leftoverCommand: (cfg: TierConfig, o: AdapterOptions) => Promise<string>;
}

const TIER_KINDS: ReadonlyMap<TierKind, TierKindEntry> = new Map<TierKind, TierKindEntry>([
  ['memory', { create: async (cfg) => new MemoryTier(cfg), leftoverCommand: async () => '' }],
  [
    'redis',
    {
      create: async (cfg, o) => {
        const { redisTier } = await import('./redis.js');
        const t = redisTier(cfg, o);
        await t.connect(o.timeoutMs);
        return t;
      },
      leftoverCommand: async (cfg, o) => {
        const { parseRedisTarget, redisCleanupCommand, redisPrefix } = await import('./redis-url.js');
        const target = parseRedisTarget(o.redisUrl, o.redisCluster);
        return redisCleanupCommand(target, redisPrefix(o.runId, cfg.name), target.nodes, o.redisTlsCaFile);
      },
    },
  ],
  [
    'pgvector',
    {
      create: async (cfg, o) => {
        const { pgvectorTier } = await import('./pgvector.js');
        const t = pgvectorTier(cfg, o);
        await t.connect();
        return t;
      },
      // The embedded PGlite's tables go with its process.
      leftoverCommand: async (cfg, o) => {
        if (o.pgEmbedded) return '';
        const { pgTableName } = await import('./pgvector.js');
        return `psql '${redact(o.pgUrl)}' -c 'DROP TABLE IF EXISTS ${pgTableName(o.runId, cfg.name)}'`;
      },
    },
  ],
]);

function kindOf(cfg: TierConfig): TierKindEntry {
  const k = TIER_KINDS.get(cfg.kind);
  if (!k) throw new InputError(`tier ${cfg.name}: no bench adapter for kind ${JSON.stringify(cfg.kind)} (known: ${[...TIER_KINDS.keys()].join(', ')})`);
  return k;
}

/** Build and connect the adapter of `cfg`. */
export async function createTier(cfg: TierConfig, o: AdapterOptions): Promise<TierAdapter> {
  return kindOf(cfg).create(cfg, o);
}

/** The shell command that removes what run `o.runId` left in tier `cfg` ('' when nothing can be left); never with a password. */
export function leftoverCommand(cfg: TierConfig, o: AdapterOptions): Promise<string> {
  return kindOf(cfg).leftoverCommand(cfg, o);
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
