import { test } from 'node:test';
import { freePort } from '../net-helper.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { runBench } from '../../src/bench/bench.ts';
import { benchOptions, smallScenario } from './helpers.ts';

test('Redis lost mid-run: the run completes, lookups fail open as misses, errors are counted and reported', async () => {
  const port = await freePort();
  // Our OWN throwaway redis-server (never the shared 6379 one).
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  let killer: NodeJS.Timeout | undefined;
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50 });
  try {
    probe.on('error', () => {});
    for (let i = 0; i < 50; i++) {
      try {
        await probe.connect();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
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
          server.kill('SIGKILL');
        }
      } catch {
        /* the probe itself fails once the server is gone */
      }
    }, 20);
    const t0 = Date.now();
    const r = await runBench(benchOptions(s, { redisUrl: `redis://127.0.0.1:${port}`, durationMs: 2000, timeoutMs: 300 }));
    const took = Date.now() - t0;
    assert.ok(took < 10_000, `no hang: ${took} ms`);
    const l2 = r.tiers.find((t) => t.name === 'L2')!;
    assert.ok(l2.hits > 0, 'L2 served hits before it died');
    assert.ok(l2.errors > 0, 'lookups after the loss are counted as errors');
    assert.ok(r.errors >= l2.errors);
    assert.ok(r.requests > 100, 'requests kept being served (failing open)');
    assert.ok(r.warnings.some((w) => /L2: \d+ lookup .*failed open as misses/.test(w)), r.warnings.join('\n'));
  } finally {
    clearInterval(killer);
    probe.disconnect();
    server.kill('SIGKILL');
  }
});
