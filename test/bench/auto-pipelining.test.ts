import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, normalizeScenario } from '../../src/config.ts';
import { runBench } from '../../src/bench/bench.ts';
import { benchOptions } from './helpers.ts';
import { startRedis } from '../redis-helper.ts';

// A Redis of its own: its read events count only this test's commands.
test('--redis-auto-pipelining: on batches the commands of concurrent requests into few writes, off does not; the result says which', async () => {
  const redis = await startRedis();
  const probe = redis.client();
  try {
    const s = applyOverrides(normalizeScenario({ name: 'redis-only', memoryWriteThrough: false, tiers: [{ name: 'L2', kind: 'redis', scope: 'shared', ttl: { memory: 900, score: 900, intent: 900, market: 3600, response: 900 } }] }), { leads: 30, days: 1 });
    const readsPerCommand = async (redisAutoPipelining: boolean | undefined, concurrency: number) => {
      const reads = async () => Number(/total_reads_processed:(\d+)/.exec(await probe.info('stats'))![1]);
      const before = await reads();
      const r = await runBench(benchOptions(s, { redisUrl: redis.url, concurrency, requests: 3000, redisAutoPipelining }));
      const l2 = r.tiers.find((t) => t.name === 'L2')!;
      return { perCommand: ((await reads()) - before) / (l2.lookups + (l2.writes ?? 0)), mode: r.mode.redisAutoPipelining, errors: r.errors };
    };
    const off = await readsPerCommand(false, 50);
    const on = await readsPerCommand(true, 50);
    const byDefault = await readsPerCommand(undefined, 50);
    const sequential = await readsPerCommand(undefined, 1);
    assert.deepEqual([off.errors, on.errors, byDefault.errors, sequential.errors], [0, 0, 0, 0]);
    assert.deepEqual([off.mode, on.mode, byDefault.mode, sequential.mode], [false, true, true, false]);
    // One request in flight: one read per command. At 50 without pipelining the kernel still
    // coalesces some writes (0.4-0.6 reads per command seen); with it, about 0.03.
    assert.ok(sequential.perCommand > 0.9, `concurrency 1: ${sequential.perCommand} reads per command`);
    assert.ok(on.perCommand < 0.25 * off.perCommand, `on: ${on.perCommand} vs off ${off.perCommand} reads per command`);
    assert.ok(byDefault.perCommand < 0.25 * off.perCommand, `default at 50: ${byDefault.perCommand} reads per command`);
  } finally {
    probe.disconnect();
    await redis.stop();
  }
});
