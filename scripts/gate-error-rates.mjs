/**
 * Measure the latency gate's two error rates on this machine, with the real backends:
 *   - false failures: PAIRS pairs of identical code, A vs A (every gate failure is a false alarm);
 *   - detections:     PAIRS pairs of A vs A with `--inject-delay L2:10%` (every pass is a miss).
 *
 * Why the design: on a shared 2-core machine the load of other processes comes in bursts that
 * move a Redis lookup's P50 by ±50 % from one trial to the next, five times the effect to detect.
 * No test on independent trials can see 10 % through that. So each pair's sides run AT THE SAME
 * TIME: three `node bin/llmcache.js bench` processes (A, A2 = the same code again, B = A with the
 * injected delay) start together and run TRIALS trials each in lockstep, so trial i of every side
 * sees the same burst. The gate then compares them `--paired` (Wilcoxon signed-rank on the
 * per-trial ratios), which cancels what a pair shares. The same pairs are also gated unpaired
 * (Mann-Whitney U), and both results are printed. One embedded PGlite server (or $DATABASE_URL)
 * serves every run.
 *
 * Usage: npm run build && node scripts/gate-error-rates.mjs [--pairs 20] [--trials 8]
 *          [--requests 2000] [--delay L2:10%] [--threshold 5%] [--warn 2%] [--alpha 0.01] [--keep DIR]
 * Exit 0 when false failures <= 1 and detections >= pairs - 1 (paired gate); 1 otherwise; 2 on setup errors.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: a } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    trials: { type: 'string', default: '8' },
    requests: { type: 'string', default: '2000' },
    delay: { type: 'string', default: 'L2:10%' },
    threshold: { type: 'string', default: '5%' },
    warn: { type: 'string', default: '2%' },
    alpha: { type: 'string', default: '0.01' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'string' },
  },
});
const pairs = Number(a.pairs);
const delayTier = a.delay.split(':')[0];
const cliPath = join(root, 'bin/llmcache.js');
if (!existsSync(join(root, 'dist/cli.js'))) {
  process.stderr.write('gate-error-rates: dist/cli.js not found; run `npm run build` first\n');
  process.exit(2);
}
const { spawnPGliteServer } = await import(join(root, 'dist/tiers/pglite-server.js'));

/** One bench process; resolves when it exits 0. */
function benchRun(args) {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [cliPath, ...args], { maxBuffer: 64 << 20 }, (e, _out, err) => (e ? reject(new Error(`bench ${args.join(' ')}: ${err}`)) : resolve())),
  );
}

const dir = a.keep ?? mkdtempSync(join(tmpdir(), 'llmcache-gate-errors-'));
mkdirSync(dir, { recursive: true });
const pg = process.env.DATABASE_URL ? null : await spawnPGliteServer();
const pgUrl = process.env.DATABASE_URL ?? pg.url;
const bench = ['bench', '--seed', a.seed, '--trials', a.trials, '--requests', a.requests, '--llm-time-scale', '0', '--pg-url', pgUrl];
const sides = { A: [], A2: [], B: ['--inject-delay', a.delay] };
const gateFlags = ['--threshold', a.threshold, '--warn', a.warn, '--alpha', a.alpha, '--json', '--paired'];
const load = [loadavg()[0]];
const started = Date.now();
let falseFailures = 0;
let detected = 0;
let unpairedFalse = 0;
let unpairedDetected = 0;
const rows = [];

/** `llmcache gate` as a separate process: its exit code and JSON verdict. */
function gate(baseline, current, paired = true) {
  const args = [cliPath, 'gate', '--baseline', baseline, '--current', current, ...gateFlags.filter((f) => paired || f !== '--paired')];
  try {
    return { code: 0, v: JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) };
  } catch (e) {
    if (e.status !== 1) throw new Error(`gate exited ${e.status}: ${e.stderr}`);
    return { code: 1, v: JSON.parse(e.stdout) };
  }
}
const failing = (v) => v.metrics.filter((m) => m.status === 'fail').map((m) => `${m.tier ?? 'e2e'} ${m.stat} ${(m.change * 100).toFixed(1)}%`);

try {
  for (let p = 1; p <= pairs; p++) {
    const names = Object.keys(sides);
    const k = p % names.length;
    const files = {};
    // All three sides at once, in a rotating start order: trial i of each runs side by side.
    await Promise.all(
      [...names.slice(k), ...names.slice(0, k)].map((side) => {
        files[side] = join(dir, `pair-${p}`, `${side}.json`);
        return benchRun([...bench, ...sides[side], '--out', files[side], '--force']);
      }),
    );
    const aa = gate(files.A, files.A2);
    const ab = gate(files.A, files.B);
    const l2 = ab.v.metrics.find((m) => m.tier === delayTier && m.stat === 'p50');
    const hit = ab.code === 1 && ab.v.metrics.some((m) => m.tier === delayTier && m.status === 'fail');
    if (aa.code === 1) falseFailures++;
    if (hit) detected++;
    const uaa = gate(files.A, files.A2, false);
    const uab = gate(files.A, files.B, false);
    if (uaa.code === 1) unpairedFalse++;
    if (uab.code === 1 && uab.v.metrics.some((m) => m.tier === delayTier && m.status === 'fail')) unpairedDetected++;
    load.push(loadavg()[0]);
    rows.push({ p, aa, ab, l2, hit });
    process.stderr.write(
      `pair ${String(p).padStart(2)}: A vs A ${aa.v.verdict.padEnd(4)}${aa.code === 1 ? ` (${failing(aa.v).join(', ')})` : ''}` +
        ` | A vs A+${a.delay}: ${ab.v.verdict.padEnd(4)} ${delayTier} p50 ${(l2.change * 100).toFixed(1)}% p=${l2.pValue.toPrecision(2)}` +
        `${hit ? '' : ' MISSED'} [${Math.round((Date.now() - started) / 1000)} s]\n`,
    );
  }
} catch (e) {
  process.stderr.write(`gate-error-rates: ${e.message}\n`);
  process.exitCode = 2;
} finally {
  await pg?.stop();
  if (!a.keep) rmSync(dir, { recursive: true, force: true });
}
if (process.exitCode === 2) process.exit(2);

const secs = Math.round((Date.now() - started) / 1000);
const okFalse = falseFailures <= 1;
const okDetect = detected >= pairs - 1;
const shifts = rows.map((r) => r.l2.change * 100).sort((x, y) => x - y);
const aaShifts = rows.map((r) => r.aa.v.metrics.find((m) => m.tier === delayTier && m.stat === 'p50').change * 100).sort((x, y) => x - y);
const gFlags = gateFlags.filter((f) => f !== '--json').join(' ');
process.stdout.write(
  [
    `gate error rates on this machine (${pairs} pairs, ${a.trials} side-by-side trials a side, ${a.requests} requests per trial, ${secs} s, load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}):`,
    `  paired gate (--paired):   false failures A vs A ${falseFailures}/${pairs} (must be <= 1) ${okFalse ? 'OK' : 'TOO MANY'}; detections A vs A+${a.delay} ${detected}/${pairs} (must be >= ${pairs - 1}) ${okDetect ? 'OK' : 'TOO FEW'}`,
    `  unpaired gate (default):  false failures A vs A ${unpairedFalse}/${pairs}; detections ${unpairedDetected}/${pairs} (for comparison)`,
    `  ${delayTier} p50 change seen, A vs A: ${aaShifts[0].toFixed(1)}% .. ${aaShifts.at(-1).toFixed(1)}%; with the delay: ${shifts[0].toFixed(1)}% .. ${shifts.at(-1).toFixed(1)}%`,
    'commands per pair (the three bench processes run at the same time):',
    `  llmcache ${bench.join(' ').replace(pgUrl, '<pglite>')} --out A.json     # and again --out A2.json`,
    `  llmcache ${bench.join(' ').replace(pgUrl, '<pglite>')} --inject-delay ${a.delay} --out B.json`,
    `  llmcache gate --baseline A.json --current A2.json ${gFlags}`,
    `  llmcache gate --baseline A.json --current B.json ${gFlags}`,
    '',
  ].join('\n'),
);
process.exitCode = okFalse && okDetect ? 0 : 1;
