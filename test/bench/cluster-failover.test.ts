/**
 * A Redis Cluster master killed mid-run (its own throwaway cluster: test/redis-helper.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runBench } from '../../src/bench/bench.ts';
import { removeTrialData } from '../../src/bench/cleanup.ts';
import type { AdapterOptions } from '../../src/tiers/adapter.ts';
import { RedisTier } from '../../src/tiers/redis.ts';
import { redisPrefix } from '../../src/tiers/redis-url.ts';
import { startCluster } from '../redis-helper.ts';
import { benchOptions, smallScenario } from './helpers.ts';

const run = promisify(execFile);

test('cluster failover: a master killed on observed traffic; the run completes, errors and fail-open misses are counted, the window shows, no request waits past timeout plus one retry, no key is left', async (t) => {
  const cluster = await startCluster({ nodeTimeoutMs: 2000 });
  let watcher: NodeJS.Timeout | undefined;
  try {
    const [victimPort] = await cluster.masters();
    const victim = cluster.nodes.find((n) => n.port === victimPort)!;
    const probe = victim.client();
    await probe.connect();
    // Kill the master once the run is demonstrably using it (a fixed delay could be spent
    // entirely on start-up on a loaded machine).
    let killed = false;
    watcher = setInterval(async () => {
      try {
        const info = await probe.info('stats');
        if (!killed && Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0) > 300) {
          killed = true;
          clearInterval(watcher);
          probe.disconnect();
          victim.kill();
        }
      } catch {
        /* the probe fails once the node is gone */
      }
    }, 20);

    const s = smallScenario({ leads: 300, days: 3 });
    s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
    const timeoutMs = 400;
    const runId = `fo${process.pid}`;
    const r = await runBench(benchOptions(s, { redisCluster: cluster.seeds, runId, loop: 'open', rate: 150, durationMs: 10_000, timeoutMs }));
    assert.ok(killed, 'the master was killed during the run');

    const l2 = r.tiers.find((x) => x.name === 'L2')!;
    t.diagnostic(`${r.requests} requests, max ${(r.latencyUs.max / 1000).toFixed(0)} ms; ${r.warnings.join(' | ')}`);
    assert.ok(r.requests > 600, `the run kept serving requests: ${r.requests}`);
    assert.ok(l2.errors > 0, 'lookups during the failover are counted as errors');
    assert.equal(r.errors, l2.errors + (l2.writeErrors ?? 0));
    // Fail-open misses are counted, per request and per timeline bucket alike.
    assert.ok(r.failedOpen! > 0 && r.failedOpen! <= l2.errors + (l2.writeErrors ?? 0), `${r.failedOpen} requests failed open`);
    assert.ok(r.warnings.some((w) => /L2: \d+ lookup and \d+ write errors; lookups failed open as misses \(\d+ requests affected\)/.test(w)), r.warnings.join('\n'));
    // The open-loop timeline shows the window: failures start after the first requests and stop
    // before the end (the replica was promoted and served the slots again).
    const tl = r.trials[0]!.timeline!;
    const first = tl.failedOpen.findIndex((n) => n > 0);
    const last = tl.failedOpen.length - 1 - [...tl.failedOpen].reverse().findIndex((n) => n > 0);
    assert.equal(tl.failedOpen.reduce((x, y) => x + y, 0), r.failedOpen);
    assert.equal(tl.requests.reduce((x, y) => x + y, 0), r.requests);
    assert.ok(first > 0, `failures start after the run began (bucket ${first})`);
    assert.ok(tl.failedOpen.slice(last + 1).reduce((a, b) => a + b, 0) === 0 && last < tl.failedOpen.length - 2, `failures end before the run does: ${tl.failedOpen.join(',')}`);
    assert.ok(Math.max(...tl.maxUs.slice(first, last + 1)) >= timeoutMs * 1000 * 0.9, 'requests in the window waited for the timeout');
    assert.ok(r.warnings.some((w) => /Trial 1: requests failed open from [\d.]+ s to [\d.]+ s into the measurement/.test(w)), r.warnings.join('\n'));
    // A request waits at most one timeout for its lookup plus one for its write-back: timeout
    // plus one retry (and scheduling slack on a loaded machine).
    assert.ok(r.latencyUs.max <= 2 * timeoutMs * 1000 + 300_000, `slowest request ${(r.latencyUs.max / 1000).toFixed(0)} ms with a ${timeoutMs} ms timeout`);
    // The promoted replica served traffic: four nodes were masters during the run.
    assert.equal(Object.keys(l2.nodes!).length, 4, JSON.stringify(l2.nodes));
    // Clean-up waited for the promotion and removed the run's keys from every live node.
    assert.ok(!r.warnings.some((w) => /clean-up/.test(w)), r.warnings.join('\n'));
    const left = await cluster.countKeys(`llmcache:bench:${runId}*`);
    assert.equal(Object.keys(left).length, 5, 'five live nodes counted');
    assert.deepEqual(Object.values(left), [0, 0, 0, 0, 0], JSON.stringify(left));
  } finally {
    clearInterval(watcher);
    await cluster.stop();
  }
});

test('cluster clean-up through a failover: retried until the replica is promoted; when it gives up, the command it prints removes what is left', async () => {
  const cluster = await startCluster({ nodeTimeoutMs: 2000 });
  const l2 = smallScenario().tiers.find((t) => t.name === 'L2')!;
  const options = (runId: string): AdapterOptions => ({ runId, redisUrl: '', redisCluster: cluster.seeds, pgUrl: '', timeoutMs: 500, hnsw: false, dimensions: 8 });
  /** Write keys of run `runId` on every master and wait until the replicas hold them too. */
  const fill = async (runId: string) => {
    const tier = new RedisTier({ name: 'L2', url: '', cluster: cluster.seeds, prefix: redisPrefix(runId, 'L2'), timeoutMs: 2000 });
    await tier.connect(2000);
    const entry = { expiresAt: 9e12, createdAt: 1, version: 1, entity: -1, gen: 0, aux: -1, contact: 1, tenant: 0 };
    await Promise.all(Array.from({ length: 300 }, (_, i) => tier.set({ keyId: i, key: `score:${i}`, op: 'score', entry, ttlMs: 600_000, payload: 'x' })));
    await tier.close();
    const masters = await cluster.masters();
    await waitUntil(async () => {
      const counts = await cluster.countKeys(`${redisPrefix(runId, 'L2')}*`);
      if (masters.reduce((a, p) => a + (counts[p] ?? 0), 0) !== 300) return false;
      // Every live replica holds what its master holds.
      for (const n of cluster.nodes.filter((x) => counts[x.port] !== undefined && !masters.includes(x.port))) {
        const c = n.client();
        await c.connect();
        const role = await c.role();
        c.disconnect();
        if (counts[n.port] !== counts[role[2] as number]) return false;
      }
      return true;
    });
  };
  const killMasterWithReplica = async () => {
    for (const port of await cluster.masters()) {
      const c = cluster.nodes.find((n) => n.port === port)!;
      const admin = c.client();
      await admin.connect();
      const role = await admin.role();
      admin.disconnect();
      if ((role[2] as unknown[]).length > 0) return c.kill();
    }
    throw new Error('no master with a replica');
  };
  try {
    await fill('cu1');
    await killMasterWithReplica();
    const warnings = await removeTrialData([l2], options('cu1'), { keep: false, withinMs: 30_000 });
    assert.deepEqual(warnings, []);
    await cluster.healthy();
    assert.ok(Object.values(await cluster.countKeys('llmcache:bench:cu1:*')).every((n) => n === 0), 'every key gone from every live node, the promoted replica included');

    // Give up at once while a second master is failing: the warning carries the command that finishes the job.
    await fill('cu2');
    await killMasterWithReplica();
    const [warning] = await removeTrialData([l2], options('cu2'), { keep: false, withinMs: 0 });
    const cmd = /remove what is left with: (.*)$/.exec(warning ?? '')?.[1];
    assert.ok(cmd, warning);
    await cluster.healthy();
    assert.ok(sum(await cluster.countKeys('llmcache:bench:cu2:*')) > 0, 'keys were left');
    await run('sh', ['-c', cmd], { timeout: 120_000 });
    assert.deepEqual(Object.values(await cluster.countKeys('llmcache:bench:cu2:*')).filter((n) => n > 0), []);
  } finally {
    await cluster.stop();
  }
});

const sum = (o: Record<number, number>) => Object.values(o).reduce((a, b) => a + b, 0);

async function waitUntil(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
