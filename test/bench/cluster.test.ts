/**
 * L2 on a real Redis Cluster (3 masters + 3 replicas started by test/redis-helper.ts on free
 * loopback ports; the shared 6379 server is never touched).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import { runBench } from '../../src/bench/bench.ts';
import { RedisTier } from '../../src/tiers/redis.ts';
import type { BenchResult } from '../../src/model/results.ts';
import { renderResult } from '../../src/report/render.ts';
import { runCli } from '../cli-helper.ts';
import { startCluster, startRedis, TEST_CA, type LocalCluster, type LocalRedis } from '../redis-helper.ts';
import { tempDir } from '../tmp-helper.ts';
import { benchOptions, smallScenario } from './helpers.ts';

let cluster: LocalCluster;
let single: LocalRedis;
before(async () => {
  [cluster, single] = await Promise.all([startCluster(), startRedis()]);
});
after(async () => {
  await Promise.all([cluster?.stop(), single?.stop()]);
});

/** L1 + L2 only: what differs between a single node and a cluster is L2. */
function l1l2(over: Parameters<typeof smallScenario>[0] = {}) {
  const s = smallScenario(over);
  s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
  return s;
}

const perTier = (r: BenchResult) => Object.fromEntries(r.tiers.map((t) => [t.name, { byOp: t.byOp, stale: t.staleHits, writes: t.writes }]));

/** GET + SET calls each master has served (server-side counts). */
async function getSetCalls(ports: number[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const port of ports) {
    const c = cluster.nodes.find((n) => n.port === port)!.client();
    await c.connect();
    const stats = await c.info('commandstats');
    c.disconnect();
    const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    out[`127.0.0.1:${port}`] = calls('get') + calls('set');
  }
  return out;
}

const zeroKeys = (counts: Record<number, number>) => Object.values(counts).every((n) => n === 0);

test('cluster: a plain run counts the lookups and hits of a single-node run, spreads its commands over every master (counted per node) and leaves no key', async () => {
  const s = l1l2({ leads: 12 });
  const ref = await runBench(benchOptions(s, { redisUrl: single.url, runId: `one${process.pid}` }));
  const masters = await cluster.masters();
  const before = await getSetCalls(masters);
  const runId = `clu${process.pid}`;
  const r = await runBench(benchOptions(s, { redisCluster: cluster.seeds, runId }));
  const after = await getSetCalls(masters);

  assert.equal(r.errors, 0);
  assert.equal(r.requests, ref.requests);
  const l2 = r.tiers.find((t) => t.name === 'L2')!;
  assert.ok(l2.hits > 0, 'L2 earns hits, so the comparison means something');
  assert.deepEqual(perTier(r), perTier(ref));
  assert.equal(r.llmCalls, ref.llmCalls);
  assert.equal(r.env.redisMode, 'cluster of 3 masters');
  // Per-node counts: one entry per master, each what that master served (its GET/SET calls).
  assert.deepEqual(Object.keys(l2.nodes!).sort(), Object.keys(before).sort());
  for (const [node, n] of Object.entries(l2.nodes!)) {
    assert.ok(n > 0, `${node} got commands`);
    assert.equal(n, after[node]! - before[node]!, `${node}: client count = server count`);
  }
  const total = Object.values(l2.nodes!).reduce((a, b) => a + b, 0);
  assert.ok(l2.hotSlot && l2.hotSlot.commands > 0 && l2.hotSlot.commands < total, JSON.stringify(l2.hotSlot));
  assert.ok(zeroKeys(await cluster.countKeys(`llmcache:bench:${runId}*`)), 'no key of the run on any node');
  const table = renderResult(r, 'table');
  assert.match(table, /Redis 7[\d.]+ \(cluster of 3 masters\)/);
  for (const node of Object.keys(l2.nodes!)) assert.ok(table.includes(`L2 ${node}`), table);
  assert.match(table, new RegExp(`Hottest slot ${l2.hotSlot!.slot}: ${l2.hotSlot!.commands} commands`));
});

test('cluster: MOVED and ASK redirections are followed while a slot migrates between masters', async () => {
  const tier = new RedisTier({ name: 'L2', url: '', cluster: cluster.seeds, prefix: `llmcache:bench:mv${process.pid}:L2:`, timeoutMs: 2000 });
  const admin: Redis[] = [];
  const nodeClient = async (port: number) => {
    const c = cluster.nodes.find((n) => n.port === port)!.client();
    admin.push(c);
    await c.connect();
    return c;
  };
  try {
    await tier.connect(2000);
    const entry = { expiresAt: 9e12, createdAt: 1, version: 1, entity: -1, gen: 0, aux: -1, contact: 1, tenant: 0 };
    await tier.set({ keyId: 1, key: 'score:1', op: 'score', entry, ttlMs: 60_000, payload: 'abc' });
    const key = `${tier.prefix}score:1`;
    const slot = calculateSlot(key);
    const masters = await cluster.masters();
    let srcPort = -1;
    for (const p of masters) if (Number(await (await nodeClient(p)).cluster('COUNTKEYSINSLOT', slot)) === 1) srcPort = p;
    const dstPort = masters.find((p) => p !== srcPort)!;
    const src = await nodeClient(srcPort);
    const dst = await nodeClient(dstPort);
    const srcId = String(await src.cluster('MYID'));
    const dstId = String(await dst.cluster('MYID'));
    const askingBefore = Number(/cmdstat_asking:calls=(\d+)/.exec(await dst.info('commandstats'))?.[1] ?? 0);

    // Mid-migration: the key has moved, the slot has not: the source answers ASK.
    await dst.cluster('SETSLOT', slot, 'IMPORTING', srcId);
    await src.cluster('SETSLOT', slot, 'MIGRATING', dstId);
    await src.migrate('127.0.0.1', dstPort, '', 0, 5000, 'KEYS', key);
    assert.deepEqual(await tier.get(1, 'score:1'), { ...entry, bytes: 3 }, 'read through ASK');
    const askingAfter = Number(/cmdstat_asking:calls=(\d+)/.exec(await dst.info('commandstats'))?.[1] ?? 0);
    assert.ok(askingAfter > askingBefore, 'the read went to the importing master with ASKING');

    // Migration done: the source answers MOVED. A read batched (auto-pipelining) with a write to
    // another slot of the source gets the MOVED back instead of being redirected (ioredis re-sends
    // only batches of reads): the tier refreshes its slot table and retries.
    for (const p of masters) await (await nodeClient(p)).cluster('SETSLOT', slot, 'NODE', dstId);
    const slots = (tier.client as Cluster).slots;
    let other = 2;
    while (slots[calculateSlot(`${tier.prefix}score:${other}`)]?.[0] !== `127.0.0.1:${srcPort}`) other++;
    const [, read] = await Promise.all([tier.set({ keyId: other, key: `score:${other}`, op: 'score', entry, ttlMs: 60_000, payload: 'abcd' }), tier.get(1, 'score:1')]);
    assert.deepEqual(read, { ...entry, bytes: 3 }, 'read through MOVED');
    // The client's slot table followed MOVED: the next command is counted against the new owner.
    const dstNode = `127.0.0.1:${dstPort}`;
    const counted = tier.commandsByNode()!.nodes[dstNode] ?? 0;
    assert.ok(await tier.get(1, 'score:1'));
    assert.equal(tier.commandsByNode()!.nodes[dstNode], counted + 1);
    assert.equal(await tier.cleanup(), 2);
    await cluster.healthy();
  } finally {
    for (const c of admin) c.disconnect();
    await tier.close();
  }
});

test('cluster: bench --redis-cluster (2 worker processes) takes redis:// seed URLs with a password over TLS, never prints the password, leaves no key', async () => {
  const secure = await startCluster({ password: 'cluster-s3cret', tls: true });
  const tmp = tempDir('llmcache-cluster-');
  try {
    const scenario = tmp.file('l1l2.json', l1l2({ leads: 10 }));
    const ca = tmp.file('ca.pem', TEST_CA);
    const out = join(tmp.dir, 'r.json');
    const r = await runCli(['bench', '--scenario', scenario, '--redis-cluster', secure.seeds.join(','), '--redis-tls-ca', ca, '--workers', '2', '-n', '300', '--warmup', '0', '--llm-time-scale', '0', '--json', '-o', out]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!`${r.out}${r.err}`.includes('cluster-s3cret'), 'the password is never printed');
    const res = JSON.parse(r.out) as BenchResult;
    const l2 = res.tiers.find((t) => t.name === 'L2')!;
    assert.equal(res.errors, 0);
    assert.ok(l2.hits > 0 && Object.keys(l2.nodes ?? {}).length === 3, JSON.stringify(l2));
    assert.ok(zeroKeys(await secure.countKeys('llmcache:bench:*')), 'no key left on any node');
    // The same without the CA: the TLS handshake is refused, in one sentence without the password.
    const bad = await runCli(['bench', '--scenario', scenario, '--redis-cluster', secure.seeds.join(','), '-n', '10', '--json', '-o', join(tmp.dir, 'x.json')]);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /Redis Cluster rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    assert.ok(!bad.err.includes('cluster-s3cret'));
  } finally {
    await secure.stop();
  }
});

test('single node: a rediss:// URL with a password works, and the password is never printed', async () => {
  const secure = await startRedis({ password: 'node-s3cret', tls: true });
  const tmp = tempDir('llmcache-tls-');
  try {
    const scenario = tmp.file('l1l2.json', l1l2({ leads: 10 }));
    const ca = tmp.file('ca.pem', TEST_CA);
    const r = await runCli(['bench', '--scenario', scenario, '--redis-url', secure.url, '--redis-tls-ca', ca, '-n', '300', '--warmup', '0', '--llm-time-scale', '0', '--json', '-o', join(tmp.dir, 'r.json')]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!`${r.out}${r.err}`.includes('node-s3cret'));
    const res = JSON.parse(r.out) as BenchResult;
    assert.ok(res.tiers.find((t) => t.name === 'L2')!.hits > 0);
    assert.equal(res.tiers.find((t) => t.name === 'L2')!.nodes, undefined, 'no per-node counts for a single node');
    const raw = secure.client();
    await raw.connect();
    const [, keys] = await raw.scan('0', 'MATCH', 'llmcache:bench:*', 'COUNT', 10_000);
    raw.disconnect();
    assert.equal(keys.length, 0);
    const wrong = await runCli(['bench', '--scenario', scenario, '--redis-url', secure.url.replace('node-s3cret', 'wrong-pass'), '--redis-tls-ca', ca, '-n', '10', '-o', join(tmp.dir, 'x.json')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ is not reachable/);
    assert.ok(!wrong.err.includes('wrong-pass'));
  } finally {
    await secure.stop();
  }
});
