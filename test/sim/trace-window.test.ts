/**
 * A recorded trace through the simulator, at the edges: a read exactly at an entry's expiry is a
 * miss (TTL is `now >= expiresAt`), and a window shorter than a day is projected to a month by the
 * trace's own span (not the scenario's `workload.days`) while infrastructure stays a monthly figure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-window-');
const TTL_S = 60;
const READS_MS = [0, TTL_S * 1000 - 1, TTL_S * 1000, 2 * TTL_S * 1000 - 1, 2 * TTL_S * 1000];

/** One shared L1 holding `score` for 60 s; `infra` USD a month for it. workload.days (30) is not the trace's span. */
function scenario(infra: number): string {
  return tmp.file(`s-${infra}.json`, {
    name: 'window-edge',
    workload: { days: 30 },
    tiers: [{ name: 'L1', kind: 'memory', scope: 'shared', capacity: null, ttl: { score: TTL_S }, monthlyUsd: infra }],
  });
}
const trace = tmp.file(
  'reads.jsonl',
  [{ type: 'message', t: 0, contact: 'c1' }, ...READS_MS.map((t) => ({ type: 'request', t, op: 'score', contact: 'c1', key: 'score:c1', tokensIn: 2000, tokensOut: 0 }))]
    .map((l) => JSON.stringify(l))
    .join('\n') + '\n',
);

async function run(infra: number) {
  const r = await runCli(['simulate', '--scenario', scenario(infra), '--trace', trace, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

test('TTL: a read 1 ms before expiry hits, a read exactly at expiry misses (and writes a fresh entry)', async () => {
  const r = await run(0);
  // t=0 miss (write, expires 60,000), 59,999 hit, 60,000 miss (expires 120,000), 119,999 hit, 120,000 miss.
  assert.equal(r.tiers[0].lookups, 5);
  assert.equal(r.tiers[0].hits, 2);
  assert.equal(r.llmCalls, 3);
});

test('a window shorter than a day is projected by its own span; infrastructure is not scaled by the window', async () => {
  const r = await run(100);
  const spanDays = READS_MS.at(-1)! / 86_400_000;
  assert.ok(Math.abs(r.cost.windowDays - spanDays) < 1e-12, `windowDays ${r.cost.windowDays}`);
  // 3 calls × 2,000 input tokens at $15 / 1M = $0.09 in the window; baseline 5 calls = $0.15.
  assert.ok(Math.abs(r.cost.llmWindowUsd - 0.09) < 1e-9, `llmWindowUsd ${r.cost.llmWindowUsd}`);
  const scale = 30 / spanDays; // 21,600
  assert.equal(r.cost.infraMonthlyUsd, 100);
  assert.ok(Math.abs(r.cost.monthlyUsd - (0.09 * scale + 100)) < 0.01, `monthlyUsd ${r.cost.monthlyUsd}`);
  assert.ok(Math.abs(r.cost.baselineMonthlyUsd - 0.15 * scale) < 0.01, `baselineMonthlyUsd ${r.cost.baselineMonthlyUsd}`);
  // Without infrastructure the month is exactly the window × 21,600: infra adds 100, not 100 × anything.
  const bare = await run(0);
  assert.ok(Math.abs(r.cost.monthlyUsd - bare.cost.monthlyUsd - 100) < 0.01);
});
