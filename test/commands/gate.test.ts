import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-helper.js';
import { main } from '../../src/cli.js';
import { output } from '../../src/output.js';
import { tempDir } from '../tmp-helper.js';
import { benchResult, simulateResult } from '../stats/bench-fixture.js';

const { dir, file } = tempDir('llmcache-gate-');

const run = runCli;

const base = file('base.json', benchResult({ seed: 1, drift: 0.02 }));
const same = file('same.json', benchResult({ seed: 2, drift: 0.02 }));
const slow = file('slow.json', benchResult({ seed: 3, drift: 0.02, slow: { L2: 1.25 } }));

test('A vs A passes with exit 0 and prints the table', async () => {
  const r = await run(['gate', '--baseline', base, '--current', same]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /: PASS/);
  assert.match(r.out, /L2 lookup/);
});

test('a regression exits 1; --json prints the verdict; the job summary is appended, not overwritten', async () => {
  const summary = file('summary.md', '# earlier step\n');
  const r = await run(['gate', '-b', base, '-c', slow, '--json'], { GITHUB_STEP_SUMMARY: summary });
  assert.equal(r.code, 1);
  const v = JSON.parse(r.out);
  assert.equal(v.schema, 'llmcache/gate@1');
  assert.equal(v.verdict, 'fail');
  assert.equal(v.metrics.find((m: { tier?: string; stat: string }) => m.tier === 'L2' && m.stat === 'p50').status, 'fail');
  const md = readFileSync(summary, 'utf8');
  assert.ok(md.startsWith('# earlier step\n'), 'previous summary kept');
  assert.match(md, /llmcache gate · .*: FAIL/);
  assert.match(md, /FAIL: L2 lookup p50 \+2\d\.\d % \(\+\d+\.\d µs\), p 0\.000\d+, 0\.00\d+ over 12 metrics \(Holm\): slower by more than the 5\.0 % threshold/);
});

test('unusable input exits 2 with the reason: bench vs simulate, bad JSON, missing file, too few trials', async () => {
  const sim = file('sim.json', simulateResult());
  let r = await run(['gate', '-b', base, '-c', sim]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot compare a bench result \(baseline\) with a simulate result \(current\)/);
  r = await run(['gate', '-b', base, '-c', file('bad.json', '{ nope')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /not valid JSON/);
  r = await run(['gate', '-b', join(dir, 'missing.json'), '-c', same]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read \(ENOENT\)/);
  r = await run(['gate', '-b', base, '-c', file('three.json', benchResult({ seed: 4, trials: 3 }))]);
  assert.equal(r.code, 2);
  assert.match(r.err, /current has 3 trial\(s\); the gate needs at least 5/);
  r = await run(['gate', '-b', base, '-c', same, '--threshold', '12']);
  assert.equal(r.code, 2);
});

test('--update-baseline creates or replaces the baseline atomically, refuses a result with too few trials', async () => {
  const target = join(dir, 'baselines', 'main.json');
  let r = await run(['gate', '-b', target, '-c', same, '--update-baseline']);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(target, 'utf8'), readFileSync(same, 'utf8'));
  r = await run(['gate', '-b', target, '-c', slow, '--update-baseline', '--json']);
  assert.equal(r.code, 0, 'accepting a slower baseline is explicit, so not a failure');
  assert.equal(JSON.parse(r.out).verdict, 'fail', 'but the comparison is still shown');
  assert.equal(readFileSync(target, 'utf8'), readFileSync(slow, 'utf8'));
  r = await run(['gate', '-b', target, '-c', file('four.json', benchResult({ seed: 4, trials: 4 })), '--update-baseline']);
  assert.equal(r.code, 2);
  assert.equal(readFileSync(target, 'utf8'), readFileSync(slow, 'utf8'), 'unchanged');
  assert.ok(!existsSync(join(dir, 'baselines', 'four.json')));
});

test('simulate results: identical pass, a changed figure fails and is listed', async () => {
  const a = file('sa.json', simulateResult());
  const b = file('sb.json', simulateResult((x) => (x.llmCalls = 4200)));
  assert.equal((await run(['gate', '-b', a, '-c', a])).code, 0);
  const r = await run(['gate', '-b', a, '-c', b]);
  assert.equal(r.code, 1);
  assert.match(r.out, /llmCalls\s+│?\s*4100\s+│?\s*4200/);
});

test('exit codes: a warn exits 0; a hit-count difference exits 1; a crash exits 70 with one line', async () => {
  // L2 3 % slower in every trial: significant, above the 2 % warn level, below the 5 % threshold.
  const warnOnly = file('warn.json', benchResult({ seed: 2, slow: { L2: 1.03 } }));
  let r = await run(['gate', '-b', file('w-base.json', benchResult({ seed: 1 })), '-c', warnOnly, '--json']);
  assert.equal(JSON.parse(r.out).verdict, 'warn');
  assert.equal(r.code, 0, 'a warning is not a failure');

  // Closed loop at concurrency 1, same seed: hit counts are deterministic; one trial counts one hit more.
  const seq = (seed: number, hitsOf: (trial: number) => number) => {
    const x = benchResult({ seed, drift: 0.02 });
    x.mode = { ...x.mode, concurrency: 1 };
    x.trials.forEach((t, i) => (t.tiers[1]!.hits = hitsOf(i)));
    return x;
  };
  const b = file('seq-base.json', seq(7, () => 800));
  r = await run(['gate', '-b', b, '-c', file('seq-same.json', seq(8, () => 800)), '--json']);
  assert.equal(r.code, 0, r.err);
  assert.ok(JSON.parse(r.out).exact.compared > 0);
  r = await run(['gate', '-b', b, '-c', file('seq-diff.json', seq(8, (i) => (i === 3 ? 801 : 800))), '--json']);
  assert.equal(r.code, 1);
  assert.match(JSON.stringify(JSON.parse(r.out).exact.differences), /current trial 4: tiers\[L2\]\.hits/);

  // An unexpected exception (here: printing fails) is a crash: exit 70, "internal error" on stderr.
  const saved = { ...output };
  let err = '';
  output.stdout = () => {
    throw new TypeError('stdout is gone');
  };
  output.stderr = (s) => void (err += s);
  try {
    const code = await main(['node', 'llmcache', 'gate', '-b', b, '-c', b]);
    assert.equal(code, 70);
    assert.match(err, /^llmcache gate: internal error: TypeError: stdout is gone/);
  } finally {
    Object.assign(output, saved);
    process.exitCode = undefined;
  }
});
