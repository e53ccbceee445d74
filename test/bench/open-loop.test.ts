import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../src/bench/bench.ts';
import { benchOptions, smallScenario } from './helpers.ts';
import { measured } from '../timing-helper.ts';

/** L1 in-process + L2 Redis: no PGlite needed. */
function twoTiers() {
  const s = smallScenario({ leads: 40, days: 2 });
  s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
  return s;
}

test('open loop: a 200 ms stall of L2 shows in p99 and p99.9 (timed from intended start); closed loop hides it', async (t) => {
  const stall = { tier: 'L2', atMs: 300, forMs: 200 };
  // 200 req/s, not more: at 400 req/s a client on a machine at load 30-50 fell behind its schedule
  // and the backlog lifted the median too (P50/P99 up to 0.47 in 2 of 20 runs).
  const open = await runBench(benchOptions(twoTiers(), { loop: 'open', rate: 200, requests: 600, warmupRequests: 20, stall }));
  assert.equal(open.requests, 600);
  // ~40 of 600 requests were due during the stall: the tail must carry it.
  measured(t, 'open.p99_us', open.latencyUs.p99, '>=', 100_000);
  measured(t, 'open.p999_us', open.latencyUs.p999, '>=', 150_000);
  measured(t, 'open.p50_over_p99', open.latencyUs.p50 / open.latencyUs.p99, '<', 1 / 3);
  assert.ok(open.latencyUs.p99 >= 100_000, `open-loop p99 ${open.latencyUs.p99} µs should show the 200 ms stall`);
  assert.ok(open.latencyUs.p999 >= 150_000, `open-loop p99.9 ${open.latencyUs.p999} µs should show the 200 ms stall`);
  // Only the tail carries the stall: the median is below a third of p99 and below the stall itself.
  // Relative, because a loaded client slows every request alike (medians of 40-73 ms were measured at
  // load average 20, against p99 of 330-430 ms; an absolute 50 ms bound failed there).
  assert.ok(open.latencyUs.p50 < Math.min(200_000, open.latencyUs.p99 / 3), `the median (${open.latencyUs.p50} µs) stays far below p99 (${open.latencyUs.p99} µs)`);
  const l2 = open.tiers.find((t) => t.name === 'L2')!;
  assert.ok(l2.latencyUs.max >= 100_000, 'the stalled tier\'s own histogram has it too');

  // Closed loop, same stall: only the request in flight waits, the rest are never issued meanwhile.
  const closed = await runBench(benchOptions(twoTiers(), { durationMs: 1000, warmupRequests: 20, stall }));
  // The request that meets the stall waits for what is left of it: 200 ms minus however long the
  // requests before it took since the stall began (up to ~80 ms each at load average 20), so the
  // bound is a quarter of the stall, not half (measured minimum 118 ms over repeated loaded runs).
  measured(t, 'closed.max_us', closed.latencyUs.max, '>=', 50_000);
  // Closed/open P99: median 0.07 over 20 runs at load 12-45, but 0.80 once (the loaded client slows
  // the closed loop's every request too); the claim is only that the closed tail sits below the open one.
  measured(t, 'closed.p99_over_open.p99', closed.latencyUs.p99 / open.latencyUs.p99, '<', 1);
  assert.ok(closed.latencyUs.max >= 50_000, `the stalled request itself is slow (${closed.latencyUs.max} µs)`);
  assert.ok(closed.latencyUs.p99 < open.latencyUs.p99, `closed-loop p99 ${closed.latencyUs.p99} µs hides what open loop shows`);
});

test('inject-delay: a known fraction slows the tier\'s lookups and is recorded in the result', async (t) => {
  // Each lookup of the delayed tier takes (1 + 3)x its own time. A run alone is at the mercy of the
  // machine's load at that moment (one base run at load 50 had a higher L2 P50 than the delayed run
  // after it), so base and delayed runs alternate and the median of the paired ratios is judged.
  const p50 = (r: Awaited<ReturnType<typeof runBench>>) => r.tiers.find((x) => x.name === 'L2')!.latencyUs.p50;
  const ratios: number[] = [];
  for (let pair = 0; pair < 5; pair++) {
    const base = await runBench(benchOptions(twoTiers(), { requests: 300, warmupRequests: 30 }));
    const slow = await runBench(benchOptions(twoTiers(), { requests: 300, warmupRequests: 30, injectDelay: { L2: 3 } }));
    assert.deepEqual(slow.injectedDelay, { L2: 3 });
    // The delay changes time, not what is a hit.
    assert.deepEqual(slow.tiers.map((x) => x.hits), base.tiers.map((x) => x.hits));
    ratios.push(p50(slow) / p50(base));
  }
  const median = [...ratios].sort((a, b) => a - b)[2]!;
  measured(t, 'inject-delay.l2_p50_ratio_median_of_5', median, '>', 2);
  assert.ok(median > 2, `L2 P50 delayed / base, paired: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
});
