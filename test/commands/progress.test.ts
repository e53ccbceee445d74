/** `\r` progress bars are drawn on stderr only when it is a terminal; logs and pipes get none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli-helper.js';

const SWEEP = ['sweep', '--scenario', 'scenarios/small.yaml', '--param', 'L1.capacity=10,100,1000', '--leads', '20', '--days', '1', '--threads', '1', '--json'];
const SIMULATE = ['simulate', '--scenario', 'scenarios/small.yaml', '--leads', '20', '--days', '1', '--json'];

test('sweep and simulate: a progress bar on a terminal, ending at 100 % on its own line', async () => {
  for (const args of [SWEEP, SIMULATE]) {
    const r = await runCli(args, {}, { tty: true });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /\r/, `${args[0]}: no progress on a terminal`);
    assert.match(r.err, /\] 100%\n/, `${args[0]}: the bar ends at 100 % with a newline`);
    assert.doesNotThrow(() => JSON.parse(r.out), 'stdout stays clean JSON');
  }
  const sweep = await runCli(SWEEP, {}, { tty: true });
  assert.match(sweep.err, /\rsweep: 3 configuration\(s\) \[#{10}\.{20}\]  33%/, 'one step per finished configuration');
});

test('sweep and simulate: no \\r and no bar when stderr is not a terminal', async () => {
  for (const args of [SWEEP, SIMULATE]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, `${args[0]}: ${r.err}`);
    assert.doesNotMatch(r.err, /\r|\[#|%\n/, `${args[0]}: progress written to a pipe: ${JSON.stringify(r.err)}`);
  }
});
