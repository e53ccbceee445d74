/**
 * `bench --micro`: per-operation microbenchmarks with tinybench — the in-process L1 get / set,
 * Redis GET / SET one at a time and 50 at once with and without auto-pipelining, and the pgvector
 * similarity search (`ORDER BY embedding <=> $1 LIMIT 1` inside a contact scope) at 1k and 10k
 * rows (100k with `full`). Everything written lives under the run's prefix / tables and is
 * removed at the end.
 */
import { Bench } from 'tinybench';
import { MemoryTier } from '../tiers/memory.js';
import { PgvectorTier, pgTableName } from '../tiers/pgvector.js';
import { RedisTier } from '../tiers/redis.js';
import type { CachedEntry } from '../tiers/adapter.js';
import type { MicroRow } from '../model/results.js';

export interface MicroOptions {
  redisUrl?: string;
  /** Postgres with pgvector; skipped when undefined. */
  pgUrl?: string;
  runId: string;
  timeoutMs: number;
  /** Also search 100k rows (slow to load into the embedded PGlite). */
  full: boolean;
  dimensions: number;
  hnsw: boolean;
  /** Measuring time per task (ms). */
  timeMs: number;
  onProgress?: (msg: string) => void;
}

const ENTRY: CachedEntry = { expiresAt: Number.POSITIVE_INFINITY, createdAt: 0, version: 0, entity: -1, gen: 0, aux: -1, contact: 1, tenant: 0 };
const KEYS = 1000;

export async function runMicro(o: MicroOptions): Promise<MicroRow[]> {
  const rows: MicroRow[] = [];
  const run = async (name: string, ops: number, fn: () => unknown | Promise<unknown>) => {
    o.onProgress?.(`micro: ${name}`);
    const b = new Bench({ time: o.timeMs, warmupTime: Math.min(200, o.timeMs / 2) });
    b.add(name, fn as () => Promise<void>);
    await b.run();
    const r = b.tasks[0]!.result;
    if (r.state !== 'completed') throw new Error(`${name}: ${r.state === 'errored' ? r.error.message : r.state}`);
    rows.push({ name, opsPerIteration: ops, meanMs: r.latency.mean, p75Ms: r.latency.p75, p99Ms: r.latency.p99, rmePct: r.latency.rme, samples: r.latency.samplesCount });
  };

  // L1: the project's typed-array store.
  const l1 = new MemoryTier({ name: 'L1', capacity: KEYS, eviction: 'lru' });
  for (let i = 0; i < KEYS; i++) l1.setSync({ keyId: i, key: `k${i}`, op: 'score', entry: ENTRY, ttlMs: 1, payload: 'v' });
  let i = 0;
  await run('L1 get (in-process store)', 1, () => l1.getSync(i++ % KEYS));
  await run('L1 set (in-process store)', 1, () => l1.setSync({ keyId: i++ % (2 * KEYS), key: '', op: 'score', entry: ENTRY, ttlMs: 1, payload: 'v' }));

  if (o.redisUrl) {
    const prefix = `llmcache:bench:${o.runId}:micro:`;
    const piped = new RedisTier({ name: 'L2', url: o.redisUrl, prefix, timeoutMs: o.timeoutMs, autoPipelining: true });
    const plain = new RedisTier({ name: 'L2', url: o.redisUrl, prefix, timeoutMs: o.timeoutMs, autoPipelining: false });
    try {
      await piped.connect(o.timeoutMs);
      await plain.connect(o.timeoutMs);
      const payload = 'v'.repeat(256);
      for (let k = 0; k < KEYS; k++) await plain.set({ keyId: k, key: `k${k}`, op: 'score', entry: ENTRY, ttlMs: 600_000, payload });
      const batch = (t: RedisTier) => () => Promise.all(Array.from({ length: 50 }, () => t.get(0, `k${i++ % KEYS}`)));
      await run('Redis GET, one at a time', 1, () => plain.get(0, `k${i++ % KEYS}`));
      await run('Redis SET, one at a time', 1, () => plain.set({ keyId: 0, key: `k${i++ % KEYS}`, op: 'score', entry: ENTRY, ttlMs: 600_000, payload }));
      await run('Redis GET x50 concurrent, no pipelining', 50, batch(plain));
      await run('Redis GET x50 concurrent, auto-pipelining', 50, batch(piped));
    } finally {
      await plain.cleanup().catch(() => 0);
      await piped.close();
      await plain.close();
    }
  }

  if (o.pgUrl) {
    for (const n of o.full ? [1000, 10_000, 100_000] : [1000, 10_000]) {
      const pg = new PgvectorTier({ name: `micro${n}`, url: o.pgUrl, table: pgTableName(o.runId, `micro${n}`), dimensions: o.dimensions, timeoutMs: Math.max(o.timeoutMs, 120_000), hnsw: o.hnsw });
      try {
        await pg.connect();
        o.onProgress?.(`micro: loading ${n} vectors`);
        await pg.pool.query(
          `INSERT INTO ${pg.table} (key, op, contact, tenant, expires_at, created_at, version, entity, gen, aux, payload, embedding)
           SELECT 'k' || i, 'response', i % 100, 0, 'Infinity', 0, 0, -1, 0, -1, '',
                  (SELECT array_agg(random())::real[] FROM generate_series(1, $2) d WHERE i > 0)::vector
           FROM generate_series(1, $1) i`,
          [n, o.dimensions],
        );
        await pg.pool.query(`ANALYZE ${pg.table}`);
        const q = () => Array.from({ length: o.dimensions }, () => Math.random());
        await run(`pgvector search, ${n} rows, contact scope`, 1, () => pg.search({ embedding: q(), threshold: -1, contact: i++ % 100, op: 'response' }));
        await run(`pgvector search, ${n} rows, no scope${o.hnsw ? ' (HNSW)' : ''}`, 1, () => pg.search({ embedding: q(), threshold: -1, op: 'response' }));
      } finally {
        await pg.cleanup().catch(() => 0);
        await pg.close();
      }
    }
  }
  return rows;
}
