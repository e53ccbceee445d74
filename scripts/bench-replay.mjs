#!/usr/bin/env node
// Speed and memory of `llmcache replay` and `mrc` against an earlier build, side by side in one
// invocation, whole processes (process start included):
//  1. builds the baseline commit (default 0490113, the build before the eviction policies) in a
//     temporary folder (scripts/baseline-build.mjs), and generates (once, seeded) Zipf(0.9)
//     oracleGeneral traces of 1 M and 10 M requests over 1 M objects;
//  2. runs each case on both builds, interleaved (A B, then B A), and quotes the median over the
//     pairs of adjacent runs of the ratio within a pair (scripts/paired.mjs says why), baseline /
//     current, of wall time (> 1 = current faster; the target is checked on it) and of CPU time
//     (user + sys): a CPU ratio below the wall ratio means the current build spreads the work over
//     both cores; it prints each pair's wall ratio and the ratio of the two builds' medians too;
//  3. checks both builds report the same misses, and that peak RSS does not grow with the trace
//     (1 M vs 10 M requests).
// Cases: LRU 100,000 (target: 2x); mrc --exact (target: 2x); several policies and sizes at once
// (the baseline knows lru/fifo/sieve only, so that case uses those).
// With `--instructions`, each case runs once per build under valgrind's cachegrind and the ratio is
// of instructions executed (scripts/instructions.mjs): a count this VM's speed does not move, but
// blind to what the memory system costs, so the targets stay on wall time and are not checked.
// Usage: npm run build && npm run bench:replay [-- --runs 3 --baseline <commit> --dir DIR --requests 10000000 --json --instructions]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBaseline } from './baseline-build.mjs';
import { countInstructions, giga, instructionsMode } from './instructions.mjs';
import { median, pairRatios, ratioList } from './paired.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const runs = Number(opt('runs', 3));
const big = Number(opt('requests', 10_000_000));
const dir = opt('dir', join(tmpdir(), 'llmcache-bench-replay'));
const baselineRef = opt('baseline', '0490113');
const asJson = argv.includes('--json');
const byInstructions = instructionsMode(argv);
const KEYS = 1_000_000;
const ALPHA = 0.9;

if (!existsSync(join(root, 'dist/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { writeOracleTrace } = await import(join(root, 'dist/replay/synth.js'));
const log = (s) => process.stderr.write(`${s}\n`);
const f2 = (x) => x.toFixed(2);

async function traceFile(requests) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `zipf-a${ALPHA}-k${KEYS}-n${requests}-s1.oracleGeneral.bin`);
  if (!existsSync(file)) {
    log(`generating ${file} …`);
    await writeOracleTrace(file, { requests, keys: KEYS, alpha: ALPHA, seed: 1 });
  }
  return file;
}

/** The command line of `llmcache ARGS --json` for a build. */
const llmcacheArgs = (buildDir, args) => [join(buildDir, 'bin/llmcache.js'), ...args, '--json'];

/** One whole-process run of `llmcache ARGS --json`: wall and CPU seconds, peak RSS (MiB), parsed JSON. */
function run(buildDir, args) {
  const p = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...llmcacheArgs(buildDir, args)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (p.status !== 0) throw new Error(`${buildDir}: llmcache ${args.join(' ')} failed (exit ${p.status}): ${p.stderr}`);
  const [wall, user, sys, rssKb] = p.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, rssMB: rssKb / 1024, json: JSON.parse(p.stdout) };
}

const baseline = buildBaseline(root, baselineRef);
const small = await traceFile(1_000_000);
const file = await traceFile(big);
const current = execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
const multi = 'lru:10000,lru:100000,fifo:100000,sieve:100000';
const cases = [
  { name: `replay, LRU 100,000, ${big.toLocaleString('en-US')} requests`, args: ['replay', file, '--format', 'oracle', '--cache', 'lru:100000'], target: 2 },
  { name: `mrc --exact, ${big.toLocaleString('en-US')} requests`, args: ['mrc', file, '--format', 'oracle', '--exact', '--points', '20'], target: 2 },
  { name: `replay, ${multi}`, args: ['replay', file, '--format', 'oracle', '--cache', multi] },
];
/** What must agree between the builds. */
const answer = (j) => (j.results ? j.results.map((r) => r.misses) : j.exact.map((p) => p.missRatio));

if (byInstructions) {
  const rows = cases.map((c) => {
    const base = countInstructions(llmcacheArgs(baseline.dir, c.args));
    const cur = countInstructions(llmcacheArgs(root, c.args));
    const same = JSON.stringify(answer(JSON.parse(base.stdout))) === JSON.stringify(answer(JSON.parse(cur.stdout)));
    return { case: c.name, baselineInstructions: base.instructions, currentInstructions: cur.instructions, fewerBy: base.instructions / cur.instructions, sameAnswer: same };
  });
  if (asJson) {
    process.stdout.write(JSON.stringify({ schema: 'llmcache/bench-replay-instructions@1', node: process.version, current, baseline: baseline.sha, rows }, null, 2) + '\n');
  } else {
    console.log(`replay/mrc, current build (${current}) vs baseline ${baseline.sha.slice(0, 12)}, instructions of whole processes under cachegrind, one run each`);
    console.log('fewer = baseline / current; > 1.00 = current executes fewer (the targets are on wall time and are not checked here)');
    for (const r of rows) {
      console.log(`  ${r.case.padEnd(58)} ${giga(r.baselineInstructions)} -> ${giga(r.currentInstructions)}: ${f2(r.fewerBy)}x fewer   same answer: ${r.sameAnswer ? 'yes' : 'NO'}`);
    }
  }
  process.exit(rows.every((r) => r.sameAnswer) ? 0 : 1);
}

const rows = [];
for (const c of cases) {
  const t = { base: [], cur: [] };
  for (let i = 0; i < runs; i++) {
    // A B, then B A: neither build always runs first (page cache, neighbours' load).
    for (const who of i % 2 === 0 ? ['base', 'cur'] : ['cur', 'base']) t[who].push(run(who === 'base' ? baseline.dir : root, c.args));
  }
  const m = (who, f) => median(t[who].map((r) => r[f]));
  const pairs = (f) => pairRatios(t.base.map((r) => r[f]), t.cur.map((r) => r[f]));
  rows.push({
    case: c.name,
    runs,
    baselineWallS: m('base', 'wall'),
    currentWallS: m('cur', 'wall'),
    wallSpeedup: median(pairs('wall')),
    cpuSpeedup: median(pairs('cpu')),
    wallSpeedupPerPair: pairs('wall'),
    wallSpeedupOfMedians: m('base', 'wall') / m('cur', 'wall'),
    currentCpuPerWall: m('cur', 'cpu') / m('cur', 'wall'),
    target: c.target ?? null,
    sameAnswer: JSON.stringify(answer(t.base[0].json)) === JSON.stringify(answer(t.cur[0].json)),
    currentPeakRssMB: Math.max(...t.cur.map((r) => r.rssMB)),
  });
}
const rssSmall = run(root, ['replay', small, '--format', 'oracle', '--cache', 'lru:100000']).rssMB;
const rssBig = rows[0].currentPeakRssMB;
const pass = rows.every((r) => r.sameAnswer && (r.target === null || r.wallSpeedup >= r.target));

if (asJson) {
  const out = { schema: 'llmcache/bench-replay@3', node: process.version, current, baseline: baseline.sha, rows, peakRssMB: { '1M': rssSmall, [`${big}`]: rssBig }, pass };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} else {
  console.log(`replay/mrc, current build (${current}) vs baseline ${baseline.sha.slice(0, 12)}, whole processes, ${runs} runs each, interleaved`);
  console.log('speedup = median over the pairs of baseline / current within a pair (adjacent runs); > 1.00 = current faster');
  for (const r of rows) {
    console.log(
      `  ${r.case.padEnd(58)} wall ${f2(r.baselineWallS)} s -> ${f2(r.currentWallS)} s: ${f2(r.wallSpeedup)}x   CPU ${f2(r.cpuSpeedup)}x   ` +
        `cores busy ${f2(r.currentCpuPerWall)}   same answer: ${r.sameAnswer ? 'yes' : 'NO'}` +
        (r.target ? `   [>= ${r.target}x: ${r.wallSpeedup >= r.target ? 'PASS' : 'FAIL'}]` : '') +
        `\n  ${''.padEnd(58)} wall per pair ${ratioList(r.wallSpeedupPerPair)}; ratio of medians ${f2(r.wallSpeedupOfMedians)}x`,
    );
  }
  console.log(`  peak RSS of replay LRU 100,000: ${f2(rssSmall)} MiB at 1 M requests, ${f2(rssBig)} MiB at ${big.toLocaleString('en-US')}`);
}
process.exitCode = pass ? 0 : 1;
