import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisTier } from '../../src/tiers/redis.ts';
import { assertLoopback } from '../../src/tiers/registry.ts';
import { InputError } from '../../src/errors.ts';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const entry = { expiresAt: 5000, createdAt: 1000, version: 3, entity: 7, gen: 2, aux: 1, contact: 42, tenant: 0 };

test('redis tier: set/get round trip keeps the logical entry; clean-up removes only the run prefix', async () => {
  const prefix = `llmcache:bench:test${process.pid}:L2:`;
  const t = new RedisTier({ name: 'L2', url: URL, prefix, timeoutMs: 1000 });
  const raw = new Redis(URL);
  const foreign = `llmcache:bench:other${process.pid}:keep`;
  try {
    await t.connect(1000);
    await raw.set(foreign, 'x', 'PX', 60_000);
    await t.set({ keyId: 1, key: 'score:1', op: 'score', entry, ttlMs: 60_000, payload: 'abc' });
    assert.deepEqual(await t.get(1, 'score:1'), { ...entry, bytes: 3 });
    assert.equal(await t.get(2, 'score:2'), null);
    const pttl = await raw.pttl(prefix + 'score:1');
    assert.ok(pttl > 50_000 && pttl <= 60_000, `backend expiry is the clean-up TTL, got ${pttl}`);
    await t.set({ keyId: 2, key: 'score:2', op: 'score', entry, ttlMs: 60_000, payload: 'abc' });
    assert.equal(await t.cleanup(), 2);
    assert.equal(await raw.exists(prefix + 'score:1'), 0);
    assert.equal(await raw.get(foreign), 'x', 'a key outside the prefix survives clean-up');
    assert.match((await t.info()).redis ?? '', /^\d+\.\d+/);
  } finally {
    await raw.del(foreign);
    raw.disconnect();
    await t.close();
  }
});

test('redis tier: an unreachable Redis is one sentence with the URL (password redacted) and how to start it', async () => {
  const t = new RedisTier({ name: 'L2', url: 'redis://user:s3cret@127.0.0.1:1', prefix: 'x:', timeoutMs: 500 });
  await assert.rejects(t.connect(500), (e: Error) => {
    assert.ok(e instanceof InputError);
    assert.ok(!e.message.includes('s3cret'));
    assert.match(e.message, /redis:\/\/user:\*\*\*@127\.0\.0\.1:1/);
    assert.match(e.message, /redis-server --daemonize yes/);
    assert.match(e.message, /--l2 memory/);
    return true;
  });
  await t.close();
});

test('redis tier: a Redis Cluster client is built from a node list (smoke-tested against a single node)', async () => {
  const t = new RedisTier({ name: 'L2', url: '', cluster: ['127.0.0.1:6379'], prefix: 'x:', timeoutMs: 500 });
  // A standalone Redis refuses CLUSTER SLOTS: the cluster client must fail fast, not hang.
  const t0 = Date.now();
  await assert.rejects(t.connect(1500), InputError);
  assert.ok(Date.now() - t0 < 5000);
  await t.close();
});

test('non-loopback backends are refused without --allow-remote', () => {
  assert.throws(() => assertLoopback('Redis', 'redis://:pw@10.1.2.3:6379', false), (e: Error) => e instanceof InputError && !e.message.includes('pw@') && /--allow-remote/.test(e.message));
  assert.doesNotThrow(() => assertLoopback('Redis', 'redis://10.1.2.3:6379', true));
  assert.doesNotThrow(() => assertLoopback('Redis', 'redis://localhost:6379', false));
  assert.doesNotThrow(() => assertLoopback('Postgres', 'postgres://u:p@127.0.0.1:5433/x', false));
  assert.doesNotThrow(() => assertLoopback('Redis Cluster node', '127.0.0.1:7000', false));
  assert.doesNotThrow(() => assertLoopback('Postgres', 'postgres://[::1]:5433/x', false));
});
