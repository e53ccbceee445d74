import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';
import { roundPlan } from '../../src/gate-run.js';
import { cpuSplit } from '../../src/core/placement.js';
import { gateRunPaired } from '../../src/commands/gate.js';

// Two checkouts of this project (the same sources; the second with a delay injected into its
// in-process tier), run through their own TypeScript sources, as `gate run` runs any checkout
// without a dist/. A one-tier in-process scenario keeps every bench run short and off the
// shared Redis / Postgres.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { dir, file } = tempDir('llmcache-gate-run-');

function checkout(name: string, patch?: (src: string) => string): string {
  const at = join(dir, name);
  for (const part of ['src', 'scenarios', 'schema', 'package.json', 'tsconfig.json']) if (existsSync(join(root, part))) cpSync(join(root, part), join(at, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(at, 'node_modules'));
  if (patch) {
    const f = join(at, 'src', 'tiers', 'memory.ts');
    const before = readFileSync(f, 'utf8');
    const after = patch(before);
    assert.notEqual(after, before, 'the injected delay must apply');
    writeFileSync(f, after);
  }
  return at;
}

const base = checkout('base');
// Every in-process lookup busy-waits 40 µs more: far above the ~1–3 µs of the lookup itself.
const slow = checkout('head-slow', (s) =>
  s.replace(/async get\(keyId: number\): Promise<FoundEntry \| null> \{/, '$&\n    for (const end = performance.now() + 0.04; performance.now() < end; );'),
);
const scenario = file('memory-only.json', JSON.stringify({ name: 'gate-run-test', memoryWriteThrough: false, workload: { leads: 30, days: 2 }, workers: { count: 1 }, tiers: [{ name: 'L1', kind: 'memory', scope: 'worker', capacity: 1000, memoryDepth: 'full', ttl: { memory: 900, score: 900, intent: 900, market: 3600, response: 900 } }] }));
const args = (head: string, out: string, extra: string[] = []) => ['gate', 'run', '--base', base, '--head', head, '--scenario', scenario, '--requests', '400', '--bench-args', '--warmup 50 --llm-time-scale 0', '--out-dir', join(dir, out), '--json', ...extra];

test('round plan: base first in odd rounds, head first in even ones; one file per side and round', () => {
  assert.deepEqual(
    roundPlan(3, 'o').map((r) => `${r.round}:${r.side}:${r.out}`),
    ['1:base:o/base-01.json', '1:head:o/head-01.json', '2:head:o/head-02.json', '2:base:o/base-02.json', '3:base:o/base-03.json', '3:head:o/head-03.json'],
  );
});

test('gate run pairs its rounds unless --unpaired; scripts/gate-error-rates.mjs takes that choice from the built gate, not a copy', () => {
  assert.equal(gateRunPaired({}), true);
  assert.equal(gateRunPaired({ unpaired: true }), false);
  const script = readFileSync(join(root, 'scripts', 'gate-error-rates.mjs'), 'utf8');
  assert.match(script, /\bgateRunPaired \} = await import\(join\(root, 'dist\/commands\/gate\.js'\)\)/);
  assert.match(script, /const paired = gateRunPaired\(\{\}\);/);
  assert.doesNotMatch(script, /paired: (true|false)|'--paired', '--json'/, 'no pairing of its own');
});

test('gate run end to end: a checkout with a slower lookup fails (exit 1); the same sources do not; every round is kept', async () => {
  // 7 rounds pooled (--unpaired): over the ~11 metrics that can fail (Holm), 5 vs 5 could reach only
  // 11/252 > alpha. (Paired, the default, needs more rounds: below.)
  let r = await runCli(args(slow, 'slow', ['--rounds', '7', '--unpaired']));
  assert.equal(r.code, 1, r.err);
  const v = JSON.parse(r.out);
  const l1 = v.metrics.find((m: { tier?: string; stat: string }) => m.tier === 'L1' && m.stat === 'p50');
  assert.equal(l1.status, 'fail', l1.reason);
  assert.match(l1.reason, /^L1 lookup p50 \+\d+\.\d % \(\+\d+\.\d µs\), p 0\.000\d+, 0\.00\d+ over \d+ metrics \(Holm\): slower by more than the 5\.0 % threshold/);
  assert.ok(v.metrics.some((m: { opName?: string }) => m.opName === 'score'), 'per-op metrics from per-trial op figures');
  const rounds = ['01', '02', '03', '04', '05', '06', '07'];
  assert.deepEqual(readdirSync(join(dir, 'slow')).sort(), [...rounds.map((n) => `base-${n}.json`), 'gate.json', ...rounds.map((n) => `head-${n}.json`)]);
  assert.match(r.err, /round 2\/7: head\n.*round 2\/7: base\n/);
  if (cpuSplit()) assert.match(r.err, /gate run: bench on CPU \d+; the servers it starts on CPU [\d,]+\n/, 'placed (an in-process scenario: no server to start)');

  // The same sources, 7 rounds, the defaults: the correction holds the family-wise false-failure chance to alpha.
  r = await runCli(args(checkout('head-same'), 'same', ['--rounds', '7', '--unpaired']));
  assert.equal(r.code, 0, r.out);
  assert.notEqual(JSON.parse(r.out).verdict, 'fail');
});

test('gate run pairs round r of base with round r of head by default; too few pairs say "could not tell", never pass in silence', async () => {
  // 5 paired rounds: the smallest possible p is 1/32, above alpha: a clear slowdown cannot fail,
  // and the verdict must say so rather than pass.
  const r = await runCli(args(slow, 'slow-paired', ['--rounds', '5']));
  assert.equal(r.code, 0, r.err);
  const v = JSON.parse(r.out);
  assert.equal(v.options.paired, true);
  assert.equal(v.verdict, 'unsure');
  const l1 = v.metrics.find((m: { tier?: string; stat: string }) => m.tier === 'L1' && m.stat === 'p50');
  assert.equal(l1.status, 'unsure', l1.reason);
  assert.match(l1.reason, /could not tell: the smallest possible p is 0\.031/);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'slow-paired', 'gate.json'), 'utf8')).options.paired, true);
});

test('gate run: a side that cannot be benchmarked, or two sides on different scenarios, exit 2 with the reason', async () => {
  let r = await runCli(args(join(dir, 'nowhere'), 'x'));
  assert.equal(r.code, 2);
  assert.match(r.err, /--head .*nowhere: no such directory/);
  r = await runCli(args(dir, 'x'));
  assert.equal(r.code, 2);
  assert.match(r.err, /--head .*: not a built llmcache checkout \(no dist\/cli\.js/);
  // A command whose bench fails.
  r = await runCli(args(`node ${join(base, 'no-such-entry.js')}`, 'x'));
  assert.equal(r.code, 2);
  assert.match(r.err, /head could not be benchmarked \(round 1, exit 1\): Error: Cannot find module/);
  // The head benches another workload (a command wrapping the base checkout, adding --leads 31).
  const wrapper = file('other.mjs', `import { main } from ${JSON.stringify(join(base, 'src', 'cli.ts'))};\nprocess.exitCode = await main([...process.argv, '--leads', '31']);\n`);
  const other = `node --import ${pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href} ${wrapper} bench`;
  r = await runCli(args(other, 'diff', ['--rounds', '5']));
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /different scenarios: baseline "gate-run-test" \(\w+\), current "gate-run-test" \(\w+\)/);
  assert.deepEqual(readdirSync(join(dir, 'diff')).sort(), ['base-01.json', 'head-01.json'], 'refused after round 1, not after 5');
});
