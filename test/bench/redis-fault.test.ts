import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../src/bench/bench.ts';
import { startRedis } from '../redis-helper.ts';
import { measured } from '../timing-helper.ts';
import { benchOptions, smallScenario } from './helpers.ts';

test('Redis lost mid-run: the run completes, lookups fail open as misses, errors are counted and reported', async (t) => {
  // Our OWN throwaway redis-server (never the shared 6379 one).
  const server = await startRedis();
  let killer: NodeJS.Timeout | undefined;
  const probe = server.client();
  try {
    await probe.connect();
    const s = smallScenario({ leads: 40, days: 2 });
    s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
    // Kill the server once the run is demonstrably using it (not after a fixed delay, which a
    // loaded CI machine could spend entirely on start-up).
    killer = setInterval(async () => {
      try {
        const info = await probe.info('stats');
        if (Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0) > 400) {
          clearInterval(killer);
          probe.disconnect();
          server.kill();
        }
      } catch {
        /* the probe itself fails once the server is gone */
      }
    }, 20);
    const t0 = Date.now();
    const r = await runBench(benchOptions(s, { redisUrl: server.url, durationMs: 2000, timeoutMs: 300 }));
    const took = Date.now() - t0;
    measured(t, 'redis-killed.took_ms', took, '<', 10_000);
    assert.ok(took < 10_000, `no hang: ${took} ms`);
    const l2 = r.tiers.find((t) => t.name === 'L2')!;
    assert.ok(l2.hits > 0, 'L2 served hits before it died');
    assert.ok(l2.errors > 0, 'lookups after the loss are counted as errors');
    assert.ok(r.errors >= l2.errors);
    assert.ok(r.requests > 100, 'requests kept being served (failing open)');
    assert.ok(r.warnings.some((w) => /L2: \d+ lookup .*failed open as misses/.test(w)), r.warnings.join('\n'));
    // Redis is gone for good: clean-up gives up after its bounded retries and says how to finish it.
    assert.ok(
      r.warnings.some((w) => /^clean-up of \w+ L2 failed \(\d+ attempts over [\d.]+ s; .*\); remove what is left with: redis-cli -h 127\.0\.0\.1 -p \d+ --scan --pattern 'llmcache:bench:\w+:L2:\*'/.test(w)),
      r.warnings.join('\n'),
    );
  } finally {
    clearInterval(killer);
    probe.disconnect();
    await server.stop();
  }
});
