/**
 * A Redis Cluster master killed mid-run (its own throwaway cluster: test/redis-helper.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../src/bench/bench.ts';
import { startCluster } from '../redis-helper.ts';
import { benchOptions, smallScenario } from './helpers.ts';

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
    const r = await runBench(benchOptions(s, { redisCluster: cluster.seeds, runId, loop: 'open', rate: 150, durationMs: 9000, timeoutMs }));
    assert.ok(killed, 'the master was killed during the run');

    const l2 = r.tiers.find((x) => x.name === 'L2')!;
    t.diagnostic(`${r.requests} requests, max ${(r.latencyUs.max / 1000).toFixed(0)} ms; ${r.warnings.join(' | ')}`);
    assert.ok(r.requests > 500, `the run kept serving requests: ${r.requests}`);
    assert.ok(l2.errors > 0, 'lookups during the failover are counted as errors');
    assert.equal(r.errors, l2.errors + (l2.writeErrors ?? 0));
    assert.ok(r.warnings.some((w) => /L2: \d+ lookup and \d+ write errors; lookups failed open as misses \(\d+ requests affected\)/.test(w)), r.warnings.join('\n'));
    // The open-loop timeline shows the window: failures start after the first requests and stop
    // before the end (the replica was promoted and served the slots again).
    const tl = r.trials[0]!.timeline!;
    const first = tl.failedOpen.findIndex((n) => n > 0);
    const last = tl.failedOpen.length - 1 - [...tl.failedOpen].reverse().findIndex((n) => n > 0);
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
