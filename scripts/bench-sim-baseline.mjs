#!/usr/bin/env node
// Speed of `llmcache simulate` against an earlier build, side by side in one invocation.
//
// Builds the baseline commit (default 0490113, the last build before the architecture redesign)
// in a temporary folder (git archive + npm ci + tsc; cached by commit under the OS temp dir),
// then runs both builds as whole processes, interleaved (A B B A ...), on:
//   - the seed scenario (500 leads x 30 days),
//   - the 50,000-lead stacks (x 2 days): exact-match L1/L2/L3 and the default semantic L3,
//   - scenarios/semantic.yaml (the contact-scoped semantic stack).
// Each run of one build is paired with the adjacent run of the other; it quotes the median over the
// pairs of the ratio within a pair (current / baseline; < 1 = faster; scripts/paired.mjs says why) of
// CPU time (user + sys, what the process itself spent; robust on a shared machine) and of wall
// time, each pair's CPU ratio, and the ratio of the two builds' medians for comparison, and checks
// that both builds print the same figures: every field the baseline prints must be equal in the
// current JSON (fields the baseline does not know, and the scenario fingerprint, are left out). The
// work compared is the work both builds do: the current build runs with `--prompt-cache off` (the
// provider prompt cache is newer than the baseline), and the baseline reads scenario files without
// the `promptCache` section it would refuse. Guard: no case more than 5 % slower in CPU time (exit
// 1 otherwise). With `--instructions`, each case runs once per build under valgrind's cachegrind
// instead (scripts/instructions.mjs) and the guard is on the ratio of instructions executed: slower
// (a 50,000-lead case takes minutes) but a count this VM's speed does not move. Against 0490113
// "same figures: NO" is expected: since 60b138f memory reads served by the system of record are no
// longer counted as L3 hits and max is the top of its HDR bucket like every percentile; give
// `--baseline 60b138f` (or later) to check the figures too.
//
// Usage: npm run build && npm run bench:sim:baseline [-- --runs 5 --baseline <commit> --leads 50000 --days 2 --instructions]
import { execFileSync, spawnSync } from 'node:child_process';
import { buildBaseline } from './baseline-build.mjs';
import { countInstructions, giga, instructionsMode } from './instructions.mjs';
import { median, pairRatios, ratioList } from './paired.mjs';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('runs', 5));
const baselineRef = arg('baseline', '0490113');
const bigLeads = arg('leads', '50000');
const bigDays = arg('days', '2');
const tolerance = 0.05;
const byInstructions = instructionsMode(process.argv);

if (!existsSync(join(root, 'dist/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const baseline = buildBaseline(root, baselineRef);
const work = join(tmpdir(), `llmcache-bench-sim-${process.pid}`);
mkdirSync(work, { recursive: true });
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
// The exact-match variant of the seed stack: the same file with L3 matching keys only.
const exactScenario = join(work, 'seed-exact.yaml');
const withoutPromptCache = (yaml) => yaml.replace(/^promptCache:.*\n/m, '');
writeFileSync(exactScenario, withoutPromptCache(readFileSync(join(root, 'scenarios/seed-article.yaml'), 'utf8')).replace(/match: semantic/g, 'match: exact'));
const semanticScenario = join(work, 'semantic.yaml');
writeFileSync(semanticScenario, withoutPromptCache(readFileSync(join(root, 'scenarios/semantic.yaml'), 'utf8')));

const cases = [
  { name: 'seed scenario, 500 leads x 30 days', args: [] },
  { name: `${Number(bigLeads).toLocaleString('en-US')} leads x ${bigDays} days, exact L1/L2/L3`, args: ['--scenario', exactScenario, '--leads', bigLeads, '--days', bigDays] },
  { name: `${Number(bigLeads).toLocaleString('en-US')} leads x ${bigDays} days, semantic L3`, args: ['--leads', bigLeads, '--days', bigDays] },
  { name: 'scenarios/semantic.yaml', args: ['--scenario', semanticScenario] },
];

/** The command line of `simulate ARGS --json` for a build (the current one without the prompt cache). */
const simulateArgs = (dir, args) => [join(dir, 'bin/llmcache.js'), 'simulate', ...args, ...(dir === root ? ['--prompt-cache', 'off'] : []), '--json'];

/** One whole-process run: CPU seconds, wall seconds and stdout. */
function run(dir, args) {
  const p = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, ...simulateArgs(dir, args)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (p.status !== 0) {
    console.error(`${dir}: simulate ${args.join(' ')} failed:\n${p.stderr}`);
    process.exit(70);
  }
  const [wall, user, sys] = p.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { cpu: user + sys, wall, out: p.stdout };
}

/** True when every field of `base` (but the scenario fingerprint) has the same value in `cur`. */
function sameFigures(base, cur, path = '') {
  if (path === '.scenario.fingerprint') return true;
  if (base === null || typeof base !== 'object') return base === cur;
  if (cur === null || typeof cur !== 'object' || Array.isArray(base) !== Array.isArray(cur)) return false;
  if (Array.isArray(base) && base.length !== cur.length) return false;
  return Object.keys(base).every((k) => sameFigures(base[k], cur[k], `${path}.${k}`));
}

const f2 = (x) => x.toFixed(2);
const current = execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
if (byInstructions) {
  console.log(`simulate, current build (${current}) vs baseline ${baseline.sha.slice(0, 12)}, instructions of whole processes under cachegrind, one run each:`);
  console.log('ratio = current / baseline; < 1.00 = fewer');
  let failed = false;
  for (const c of cases) {
    const base = countInstructions(simulateArgs(baseline.dir, c.args));
    const cur = countInstructions(simulateArgs(root, c.args));
    const ratio = cur.instructions / base.instructions;
    const ok = ratio <= 1 + tolerance;
    if (!ok) failed = true;
    const same = sameFigures(JSON.parse(base.stdout), JSON.parse(cur.stdout));
    console.log(`  ${c.name.padEnd(44)} ${giga(base.instructions)} -> ${giga(cur.instructions)}: ${ratio.toFixed(3)}x   same figures: ${same ? 'yes' : 'NO'}   [<= ${f2(1 + tolerance)}x: ${ok ? 'PASS' : 'FAIL'}]`);
  }
  process.exit(failed ? 1 : 0);
}
console.log(`simulate, current build (${current}) vs baseline ${baseline.sha.slice(0, 12)}, whole processes, ${runs} runs each, interleaved:`);
console.log('ratio = median over the pairs of current / baseline within a pair (adjacent runs); < 1.00 = faster');
let failed = false;
for (const c of cases) {
  const t = { base: { cpu: [], wall: [] }, cur: { cpu: [], wall: [] } };
  let same = true;
  for (let i = 0; i < runs; i++) {
    // A B, then B A: neither build always runs first (caches, thermal, neighbours' load).
    const order = i % 2 === 0 ? ['base', 'cur'] : ['cur', 'base'];
    const outs = {};
    for (const who of order) {
      const r = run(who === 'base' ? baseline.dir : root, c.args);
      t[who].cpu.push(r.cpu);
      t[who].wall.push(r.wall);
      outs[who] = r.out;
    }
    same &&= sameFigures(JSON.parse(outs.base), JSON.parse(outs.cur));
  }
  const cpuPairs = pairRatios(t.cur.cpu, t.base.cpu);
  const cpuRatio = median(cpuPairs);
  const wallRatio = median(pairRatios(t.cur.wall, t.base.wall));
  const ok = cpuRatio <= 1 + tolerance;
  if (!ok) failed = true;
  console.log(
    `  ${c.name.padEnd(44)} CPU ${f2(median(t.base.cpu))} s -> ${f2(median(t.cur.cpu))} s: ${f2(cpuRatio)}x   wall ${f2(wallRatio)}x   same figures: ${same ? 'yes' : 'NO'}   [<= ${f2(1 + tolerance)}x: ${ok ? 'PASS' : 'FAIL'}]\n` +
      `  ${''.padEnd(44)} CPU per pair ${ratioList(cpuPairs)}; ratio of medians ${f2(median(t.cur.cpu) / median(t.base.cpu))}x`,
  );
}
process.exit(failed ? 1 : 0);
