import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScenario, applyOverrides } from '../../src/config.ts';
import { runBench } from '../../src/bench/bench.ts';
import { benchOptions } from './helpers.ts';
import { measured } from '../timing-helper.ts';

// Many connections to the embedded PGlite share one backend session: named prepared statements
// from two connections collided ("prepared statement … already exists") and every L3 call failed.
test('closed loop at concurrency 8 on the default stack (Redis + embedded PGlite): no backend errors', async (t) => {
  const s = applyOverrides(defaultScenario(), { leads: 30, days: 1 });
  const r = await runBench(benchOptions(s, { concurrency: 8, requests: 600 }));
  measured(t, 'concurrency8.errors', r.errors, '<=', 0);
  measured(t, 'concurrency8.max_us', r.latencyUs.max, '<', 5_000_000); // the helper's 5 s lookup timeout
  assert.equal(r.errors, 0, r.warnings.join('\n'));
  for (const t of r.tiers) assert.equal(t.errors, 0, `${t.name}: ${r.warnings.join('\n')}`);
  const l3 = r.tiers.find((t) => t.name === 'L3')!;
  assert.ok(l3.lookups > 0 && l3.hits > 0, 'L3 served');
});
