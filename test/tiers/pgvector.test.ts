import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnPGliteServer, type EmbeddedPg } from '../../src/tiers/pglite-server.ts';
import { PgvectorTier } from '../../src/tiers/pgvector.ts';
import { InputError } from '../../src/errors.ts';

let pg: EmbeddedPg;
before(async () => {
  pg = await spawnPGliteServer();
});
after(async () => {
  await pg.stop();
});

const entry = (contact: number) => ({ expiresAt: Number.POSITIVE_INFINITY, createdAt: 10, version: 1, entity: 3, gen: 0, aux: -1, contact, tenant: 0 });

test('pgvector tier on embedded PGlite: exact get/set/delete, scoped similarity search, clean-up drops only its table', async () => {
  const t = new PgvectorTier({ name: 'L3', url: pg.url, table: 'llmcache_bench_test_l3', dimensions: 3, timeoutMs: 5000, hnsw: true });
  try {
    await t.connect();
    await t.pool.query('CREATE TABLE IF NOT EXISTS not_ours (x int)');
    await t.set({ keyId: 1, key: 'response:1', op: 'response', entry: entry(1), ttlMs: 1000, payload: 'hello', embedding: [1, 0, 0] });
    await t.set({ keyId: 2, key: 'response:2', op: 'response', entry: entry(2), ttlMs: 1000, payload: 'hi', embedding: [0.9, 0.1, 0] });
    assert.deepEqual(await t.get(1, 'response:1'), { ...entry(1), bytes: 5 });
    assert.equal(await t.get(9, 'response:9'), null);
    // Nearest within the contact scope, above the threshold.
    const hit = await t.search({ embedding: [0.95, 0.05, 0], threshold: 0.9, contact: 2, op: 'response' });
    assert.equal(hit?.key, 'response:2');
    assert.ok(hit!.similarity > 0.99);
    // Contact 1's entry is the only one in scope; an orthogonal query is below the threshold.
    assert.equal(await t.search({ embedding: [0, 0, 1], threshold: 0.5, contact: 1, op: 'response' }), null);
    // Without a scope the nearest over everything is found.
    assert.equal((await t.search({ embedding: [1, 0, 0], threshold: 0.5, op: 'response' }))?.key, 'response:1');
    await t.delete(1, 'response:1');
    assert.equal(await t.get(1, 'response:1'), null);
    const info = await t.info();
    assert.match(info.postgres ?? '', /^\d+/);
    assert.match(info.pgvector ?? '', /^0\.\d+/);
    assert.equal(await t.cleanup(), 1);
    const left = await t.pool.query(`SELECT tablename FROM pg_tables WHERE tablename IN ('llmcache_bench_test_l3', 'not_ours')`);
    assert.deepEqual(left.rows.map((r) => r.tablename), ['not_ours']);
  } finally {
    await t.pool.query('DROP TABLE IF EXISTS not_ours').catch(() => {});
    await t.close();
  }
});

test('pgvector tier: an unreachable Postgres is an InputError without the password', async () => {
  const t = new PgvectorTier({ name: 'L3', url: 'postgres://u:s3cret@127.0.0.1:1/x', table: 't', dimensions: 3, timeoutMs: 500, hnsw: false });
  await assert.rejects(t.connect(), (e: Error) => e instanceof InputError && !e.message.includes('s3cret') && /embedded PGlite/.test(e.message));
  await t.close();
});
