/**
 * `simulate --json` is byte-identical to outputs recorded from the build before the architecture
 * redesign (commit 0490113): every shipped scenario, a few flag variants and a recorded trace.
 * Nothing is normalised: the simulator runs in virtual time, so its JSON carries no wall time,
 * host or date, and the same seed gives the same bytes.
 *
 * A change that legitimately alters the JSON regenerates the files in the same commit:
 *   UPDATE_GOLDEN=1 node --import tsx --test test/sim/golden.test.ts
 * and says in its message why the figures moved.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../cli-helper.js';

const dir = 'test/fixtures/golden';
const trace = `${dir}/small-1d.jsonl.gz`;

/** Golden file name → simulate arguments (besides --json). */
const cases: Record<string, string[]> = {
  ...Object.fromEntries(
    readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => [f.replace(/\.yaml$/, ''), ['--scenario', `scenarios/${f}`]]),
  ),
  'default-leads-500': ['--leads', '500'],
  'default-invalidation-none-seed-3': ['--invalidation', 'none', '--seed', '3', '--leads', '300', '--days', '10'],
  'multi-worker-8-sticky-broadcast': ['--scenario', 'scenarios/multi-worker.yaml', '--workers', '8', '--routing', 'sticky', '--invalidation', 'broadcast', '--days', '10'],
  'small-random-routing': ['--scenario', 'scenarios/small.yaml', '--routing', 'random', '--workers', '3'],
  'small-trace': ['--scenario', 'scenarios/small.yaml', '--trace', trace],
  'semantic-trace': ['--scenario', 'scenarios/semantic.yaml', '--trace', trace],
};

for (const [name, args] of Object.entries(cases)) {
  test(`simulate --json ${args.join(' ')} is byte-identical to the recorded output`, async () => {
    const r = await runCli(['simulate', ...args, '--json']);
    assert.equal(r.code, 0, r.err);
    const file = `${dir}/${name}.json`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, r.out);
    // Compare whole bytes, but on a mismatch point at the first differing line, not a 20 kB diff.
    const expected = readFileSync(file, 'utf8');
    if (r.out !== expected) {
      const a = r.out.split('\n');
      const b = expected.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      assert.fail(`${file}: line ${i + 1} differs: got ${JSON.stringify(a[i])}, recorded ${JSON.stringify(b[i])}`);
    }
  });
}

test('every shipped scenario has a golden output', () => {
  for (const f of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) assert.ok(f.replace(/\.yaml$/, '') in cases, f);
});
