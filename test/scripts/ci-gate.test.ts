/**
 * scripts/ci-gate.sh with the real `gate` (src/cli.ts) judging result files, so the script's checks
 * run against the gate's real wording: a change in the gate view that the script's check does not
 * accept fails here, not in CI after `npm test` passed. Only simulate and bench are stood in for
 * (LLMCACHE): simulate copies a result the real simulate wrote once, bench copies bench results
 * of the asked number of trials, so the test needs neither Redis nor minutes of benchmarking.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../tmp-helper.js';
import { runCli } from '../cli-helper.js';
import { benchResult } from '../stats/bench-fixture.js';

const tmp = tempDir('llmcache-ci-gate-');
const simFixture = join(tmp.dir, 'simulate.json');
// Bench results of 3 and 2 trials (the script runs 3 + 2 a side and pools them), one scenario, at
// concurrency 1 as the script benches: their hit counts are compared exactly.
const sequential = (trials: number, seed: number) => {
  const r = benchResult({ seed, trials, requests: 300 });
  return { ...r, mode: { ...r.mode, concurrency: 1 } };
};
tmp.file('bench-3.json', sequential(3, 1));
tmp.file('bench-2.json', sequential(2, 2));

const real = tmp.file(
  'llmcache-real.mjs',
  `const { main } = await import(${JSON.stringify(pathToFileURL(resolve('src/cli.ts')).href)});\nprocess.exitCode = await main(['node', 'llmcache', ...process.argv.slice(2)]);\n`,
);
const fake = tmp.file(
  'llmcache.sh',
  `#!/usr/bin/env bash
cmd=$1
out=; trials=; prev=
for a in "$@"; do [ "$prev" = --out ] && out=$a; [ "$prev" = --trials ] && trials=$a; prev=$a; done
real() { node --import tsx ${JSON.stringify(real)} "$@"; }
case $cmd in
  simulate) cp ${JSON.stringify(simFixture)} "$out" ;;
  bench)
    echo "bench: trial 1/$trials" >&2
    if [ "$FAKE" = bench-fails ]; then echo "Redis at redis://127.0.0.1:6390 is not reachable (ECONNREFUSED)" >&2; exit 2; fi
    cp ${JSON.stringify(tmp.dir)}/bench-$trials.json "$out" ;;
  gate)
    # compared-nothing: the real gate's own line, with its count made 0
    if [ "$FAKE" = compared-nothing ]; then real "$@" | sed -E 's/^[0-9,]+ (deterministic figures compared)/0 \\1/'; exit "\${PIPESTATUS[0]}"; fi
    real "$@" ;;
esac
`,
);
chmodSync(fake, 0o755);

before(async () => {
  const r = await runCli(['simulate', '--scenario', 'scenarios/small.yaml', '--seed', '42', '--out', simFixture]);
  assert.equal(r.code, 0, r.err);
});

function ciGate(env: Record<string, string>) {
  const log = join(tmp.dir, `kept-${Object.values(env).join('-') || 'none'}.log`);
  const r = spawnSync('bash', ['scripts/ci-gate.sh'], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, LLMCACHE: fake, CI_GATE_LOG: log, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr, log };
}

test('ci-gate accepts what the real gate prints when it compared figures and none differ', () => {
  const r = ciGate({});
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /ci-gate: ok/);
  // Both gates (simulate exact, bench pooled) ran for real and said how much they compared.
  assert.equal(r.out.match(/^[1-9][\d,]* deterministic figures compared/gm)?.length, 2, r.out);
  assert.equal(existsSync(r.log), false, 'no log kept when nothing failed');
});

test('ci-gate fails when the gate compared no deterministic figure ("0 compared, 0 differ" is not a pass)', () => {
  const r = ciGate({ FAKE: 'compared-nothing' });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /compared no deterministic figure/);
  assert.match(r.err, /^0 deterministic figures compared/m, 'the refused line is the real gate\'s, count 0');
});

test('a failing bench: its stderr is printed and kept, not deleted with the temp folder', () => {
  const r = ciGate({ FAKE: 'bench-fails' });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /bench stderr \(kept in .*\):\n[\s\S]*Redis at redis:\/\/127\.0\.0\.1:6390 is not reachable/);
  assert.match(readFileSync(r.log, 'utf8'), /Redis at redis:\/\/127\.0\.0\.1:6390 is not reachable/);
});
