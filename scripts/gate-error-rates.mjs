/**
 * Measure the latency gate's two error rates on this machine, with the real backends:
 *   - false failures: PAIRS pairs of identical code, A vs A (every gate failure is a false alarm);
 *   - detections:     PAIRS pairs of A vs A with `--inject-delay L2:10%` (every pass is a miss).
 *
 * Each pair has three sides — A, A2 (the same code again) and B (A with the injected delay) — of
 * TRIALS single-trial bench runs each, INTERLEAVED round by round in a rotating order (A A2 B,
 * A2 B A, B A A2, …) so drift hits all sides alike. Bench runs go through the built CLI's entry
 * point (dist/cli.js `main`) in this one process — the same parsing and engine as
 * `node bin/llmcache.js bench`, without ~1.5 s of process start per trial; one embedded PGlite
 * server (or $DATABASE_URL) serves them all. `node bin/llmcache.js gate` (a real process, real exit
 * code) then compares A vs A2 and A vs B, pooling each side's runs.
 *
 * What it gates on, and why: on a shared 2-core machine, bursts of other work move a Redis
 * lookup's P50 by ±50 % from one trial to the next — five times the effect to find. The low
 * percentiles of the L2 lookup latency (P1, P2, P5: the lookups that did not wait for a CPU) move
 * by about 1 % between quiet trials, and a burst that hits a whole trial is set aside by the
 * gate's disturbed-trial guard. So the gate runs with `--stats p1,p2,p5 --threshold 5%`; the same
 * pairs are also gated with the default P50/P95/P99 and both results are printed.
 *
 * Usage: npm run build && node scripts/gate-error-rates.mjs [--pairs 20] [--trials 12]
 *          [--requests 2000] [--delay L2:10%] [--stats p1,p2,p5] [--threshold 5%] [--warn 2%]
 *          [--alpha 0.01] [--keep DIR]
 * Exit 0 when false failures <= 1 and detections >= pairs - 1; 1 otherwise; 2 on setup errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: a } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    trials: { type: 'string', default: '12' },
    stats: { type: 'string', default: 'p1,p2,p5' },
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
const firstStat = a.stats.split(',')[0];
const cliPath = join(root, 'bin/llmcache.js');
if (!existsSync(join(root, 'dist/cli.js'))) {
  process.stderr.write('gate-error-rates: dist/cli.js not found; run `npm run build` first\n');
  process.exit(2);
}
const { spawnPGliteServer } = await import(join(root, 'dist/tiers/pglite-server.js'));

const { main } = await import(join(root, 'dist/cli.js'));

const { output } = await import(join(root, 'dist/output.js'));

/** Run the CLI's entry point in this process, output swallowed (stderr kept for errors). */
async function cli(args) {
  const saved = { ...output };
  let err = '';
  output.stdout = () => {};
  output.stderr = (s) => void (err += s);
  try {
    const code = await main(['node', 'llmcache', ...args]);
    if (code !== 0) throw new Error(`llmcache ${args.join(' ')} exited ${code}:\n${err}`);
  } finally {
    Object.assign(output, saved);
    process.exitCode = undefined;
  }
}

const dir = a.keep ?? mkdtempSync(join(tmpdir(), 'llmcache-gate-errors-'));
mkdirSync(dir, { recursive: true });
const pg = process.env.DATABASE_URL ? null : await spawnPGliteServer();
const pgUrl = process.env.DATABASE_URL ?? pg.url;
const bench = ['bench', '--seed', a.seed, '--trials', '1', '--requests', a.requests, '--llm-time-scale', '0', '--pg-url', pgUrl];
const sides = { A: [], A2: [], B: ['--inject-delay', a.delay] };
const gateFlags = ['--stats', a.stats, '--threshold', a.threshold, '--warn', a.warn, '--alpha', a.alpha, '--json'];
const load = [loadavg()[0]];
const started = Date.now();
let falseFailures = 0;
let detected = 0;
let defaultFalse = 0;
let defaultDetected = 0;
const rows = [];

/** `llmcache gate` as a separate process: its exit code and JSON verdict. */
function gate(baseline, current, defaultStats = false) {
  const flags = defaultStats ? gateFlags.slice(2) : gateFlags;
  const args = [cliPath, 'gate', '--baseline', ...baseline, '--current', ...current, ...flags];
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
    const files = { A: [], A2: [], B: [] };
    // Round t runs one trial of every side, in an order that rotates from round to round.
    for (let t = 1; t <= Number(a.trials); t++) {
      const k = (p + t) % names.length;
      for (const side of [...names.slice(k), ...names.slice(0, k)]) {
        const out = join(dir, `pair-${p}`, `${side}-${t}.json`);
        await cli([...bench, ...sides[side], '--out', out, '--force']);
        files[side].push(out);
      }
    }
    const aa = gate(files.A, files.A2);
    const ab = gate(files.A, files.B);
    const l2 = ab.v.metrics.find((m) => m.tier === delayTier && m.stat === firstStat);
    const hit = ab.code === 1 && ab.v.metrics.some((m) => m.tier === delayTier && m.status === 'fail');
    if (aa.code === 1) falseFailures++;
    if (hit) detected++;
    const daa = gate(files.A, files.A2, true);
    const dab = gate(files.A, files.B, true);
    if (daa.code === 1) defaultFalse++;
    if (dab.code === 1 && dab.v.metrics.some((m) => m.tier === delayTier && m.status === 'fail')) defaultDetected++;
    load.push(loadavg()[0]);
    rows.push({ p, aa, ab, l2, hit });
    process.stderr.write(
      `pair ${String(p).padStart(2)}: A vs A ${aa.v.verdict.padEnd(4)}${aa.code === 1 ? ` (${failing(aa.v).join(', ')})` : ''}` +
        ` | A vs A+${a.delay}: ${ab.v.verdict.padEnd(4)} ${delayTier} ${firstStat} ${(l2.change * 100).toFixed(1)}% p=${l2.pValue.toPrecision(2)}` +
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
const aaShifts = rows.map((r) => r.aa.v.metrics.find((m) => m.tier === delayTier && m.stat === firstStat).change * 100).sort((x, y) => x - y);
const gFlags = gateFlags.filter((f) => f !== '--json').join(' ');
process.stdout.write(
  [
    `gate error rates on this machine (${pairs} pairs, ${a.trials} interleaved trials a side, ${a.requests} requests per trial, ${secs} s, load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}):`,
    `  gate --stats ${a.stats}:  false failures A vs A ${falseFailures}/${pairs} (must be <= 1) ${okFalse ? 'OK' : 'TOO MANY'}; detections A vs A+${a.delay} ${detected}/${pairs} (must be >= ${pairs - 1}) ${okDetect ? 'OK' : 'TOO FEW'}`,
    `  default p50,p95,p99 (for comparison): false failures ${defaultFalse}/${pairs}; detections ${defaultDetected}/${pairs}`,
    `  ${delayTier} ${firstStat} change seen, A vs A: ${aaShifts[0].toFixed(1)}% .. ${aaShifts.at(-1).toFixed(1)}%; with the delay: ${shifts[0].toFixed(1)}% .. ${shifts.at(-1).toFixed(1)}%`,
    `commands per pair (round t = 1..${a.trials} runs one trial of each side, rotating the order):`,
    `  llmcache ${bench.join(' ').replace(pgUrl, '<pglite>')} --out A-t.json     # and --out A2-t.json`,
    `  llmcache ${bench.join(' ').replace(pgUrl, '<pglite>')} --inject-delay ${a.delay} --out B-t.json`,
    `  llmcache gate --baseline A-*.json --current A2-*.json ${gFlags}`,
    `  llmcache gate --baseline A-*.json --current B-*.json ${gFlags}`,
    '',
  ].join('\n'),
);
process.exitCode = okFalse && okDetect ? 0 : 1;
