/**
 * The one registry of tier kinds (docs/architecture.md, "How to add a tier kind"): kind ->
 * module. A module says how `bench` connects one instance (its async adapter, src/tiers/adapter.ts)
 * and, optionally, how `simulate` models one (default: the in-process keyed store,
 * src/tiers/model.ts). Both engines drive them through the one request walk
 * (src/cache/walk.ts), so a new kind needs no change to either engine.
 *
 * A backend that cannot be reached is an InputError (exit 2) that names the URL (password
 * redacted) and says how to start it.
 */
import type { Generations } from '../cache/entry.js';
import type { TierConfig, TierKind } from '../config.js';
import { InputError, redact } from '../errors.js';
import { TierInstance } from './model.js';
import { hostOf, isLoopbackHost, type AdapterOptions, type TierAdapter } from './adapter.js';
import { MemoryTier } from './memory.js';

export type { TierAdapter, AdapterOptions } from './adapter.js';

/** What a tier kind provides. */
export interface TierKindModule {
  /**
   * Build and connect the bench adapter of one instance. Backends with a driver (ioredis, pg)
   * load it here, on first use: a run without such a tier never loads it.
   */
  connect(cfg: TierConfig, o: AdapterOptions): Promise<TierAdapter>;
  /** The shell command that removes what run `o.runId` left in the tier ('' = nothing can be left); never with a password. */
  leftoverCommand(cfg: TierConfig, o: AdapterOptions): Promise<string>;
  /**
   * The simulator's model of one instance (virtual time, synchronous); `gens` are its
   * invalidation generations. Omitted: an in-process keyed store of the tier's capacity and
   * eviction policy, which is what a cache backend is in virtual time.
   */
  model?(cfg: TierConfig, gens: Generations): TierInstance;
}

const TIER_KINDS = {
  memory: { connect: async (cfg) => new MemoryTier(cfg), leftoverCommand: async () => '' },
  redis: {
    connect: async (cfg, o) => {
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
  pgvector: {
    connect: async (cfg, o) => {
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
} satisfies Record<TierKind, TierKindModule>;

function kindOf(cfg: TierConfig): TierKindModule {
  const m: TierKindModule | undefined = (TIER_KINDS as Record<string, TierKindModule>)[cfg.kind];
  if (!m) throw new InputError(`tier ${cfg.name}: unknown tier kind ${JSON.stringify(cfg.kind)} (known: ${Object.keys(TIER_KINDS).join(', ')})`);
  return m;
}

/** Build and connect the bench adapter of `cfg`. */
export function createTier(cfg: TierConfig, o: AdapterOptions): Promise<TierAdapter> {
  return kindOf(cfg).connect(cfg, o);
}

/** The shell command that removes what run `o.runId` left in tier `cfg` ('' when nothing can be left); never with a password. */
export function leftoverCommand(cfg: TierConfig, o: AdapterOptions): Promise<string> {
  return kindOf(cfg).leftoverCommand(cfg, o);
}

/** The simulator's model of one instance of `cfg` (exact match; semantic tiers are src/semantic/tier.ts). */
export function modelTier(cfg: TierConfig, gens: Generations): TierInstance {
  return kindOf(cfg).model?.(cfg, gens) ?? new TierInstance(cfg.capacity, cfg.eviction, gens);
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
