#!/usr/bin/env node
/**
 * Measure the latency gate's error rates on this machine, with its DEFAULTS and the real backends
 * (Redis, embedded PGlite), for A vs A and two kinds of regression:
 *   - false failures: A vs A2, the same code twice (every failure is a false alarm);
 *   - shift:          A vs B, `bench --inject-delay L2:10%` (every L2 lookup 10 % slower);
 *   - tail:           A vs C, `bench --inject-tail L3:20ms@2%` (2 % of L3 lookups 20 ms slower,
 *                     the P50 unchanged).
 * Each pair runs the four sides the way `llmcache gate run` does — one single-trial bench per side
 * and round, the order rotating from round to round, one shared PGlite — with gate run's default
 * rounds and requests, then gates A against each other side as gate run judges them: with the
 * default flags, and round r of A paired with round r of the other side (`gate --paired`) if gate
 * run pairs its rounds by default, as it does (`gateRunPaired` in src/commands/gate.ts, imported
 * from dist/, decides for both).
 *
 * Bench runs go through the built CLI's entry point (dist/cli.js `main`) in this process, the same
 * parsing and engine as `node bin/llmcache.js bench` without ~1.5 s of process start per run;
 * `node bin/llmcache.js gate` runs as a real process (real exit code).
 *
 * CPU placement as `gate run` does it (src/core/placement.ts): this process (the bench client) on
 * one CPU; a redis-server of its own and the embedded PGlite on the others (`--no-pin`: neither).
 *
 * Usage: npm run build && node scripts/gate-error-rates.mjs [--pairs 20] [--rounds N] [--requests N]
 *          [--out FILE] [--keep DIR] [--no-pin]
 * Prints progress with an estimate of the time left, then the table; writes the table and every
 * pair's verdicts as JSON (--out, default results/gate-error-rates-<time>.json).
 * Exit 0 when every target holds (false failures <= 1 per 20, detections >= 19 per 20 for each
 * kind), 1 otherwise, 2 on setup errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/cli.js'))) {
  process.stderr.write('gate-error-rates: dist/cli.js not found; run `npm run build` first\n');
  process.exit(2);
}
const { main } = await import(join(root, 'dist/cli.js'));
const { output } = await import(join(root, 'dist/output.js'));
const { spawnPGliteServer } = await import(join(root, 'dist/tiers/pglite-server.js'));
const { GATE_RUN_ROUNDS, GATE_RUN_REQUESTS, GATE_RUN_BENCH_ARGS, gateRunPaired } = await import(join(root, 'dist/commands/gate.js'));
/** Does `gate run` with its default flags pair its rounds? (The choice is made once, in the built CLI.) */
const paired = gateRunPaired({});
const pairing = paired ? 'rounds paired' : 'rounds pooled';
const { DEFAULT_GATE_OPTIONS } = await import(join(root, 'dist/gate.js'));
const { cpuSplit, pinProcess, redisServerAvailable, startRedisServer } = await import(join(root, 'dist/core/placement.js'));
const { histogramQuantiles } = await import(join(root, 'dist/stats/hdr-quantile.js'));

const { values: a } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    rounds: { type: 'string', default: String(GATE_RUN_ROUNDS) },
    requests: { type: 'string', default: String(GATE_RUN_REQUESTS) },
    keep: { type: 'string' },
    out: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const pairs = Number(a.pairs);
const rounds = Number(a.rounds);
if (!(Number.isInteger(pairs) && pairs >= 1) || !(Number.isInteger(rounds) && rounds >= 5)) {
  process.stderr.write(`gate-error-rates: --pairs must be a whole number >= 1 and --rounds >= 5 (got ${a.pairs}, ${a.rounds})\n`);
  process.exit(2);
}
const outFile = a.out ?? join(root, 'results', `gate-error-rates-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const cliPath = join(root, 'bin/llmcache.js');

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

/** `llmcache gate` as `gate run` judges (defaults, rounds paired or pooled as it does), as a separate process: exit code and JSON verdict. */
function gate(baseline, current) {
  const args = [cliPath, 'gate', '--baseline', ...baseline, '--current', ...current, ...(paired ? ['--paired'] : []), '--json'];
  try {
    return { code: 0, v: JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) };
  } catch (e) {
    if (e.status !== 1) throw new Error(`gate exited ${e.status}: ${e.stderr}`);
    return { code: 1, v: JSON.parse(e.stdout) };
  }
}

const KINDS = [
  { side: 'A2', flags: [], label: 'A vs A (false failures)', caught: () => false },
  { side: 'B', flags: ['--inject-delay', 'L2:10%'], label: 'every L2 lookup 10 % slower', caught: (m) => m.tier === 'L2' },
  { side: 'C', flags: ['--inject-tail', 'L3:20ms@2%'], label: '2 % of L3 lookups +20 ms', caught: (m) => m.tier === 'L3' || m.tier === undefined },
];
const dir = a.keep ?? mkdtempSync(join(tmpdir(), 'llmcache-gate-errors-'));
mkdirSync(dir, { recursive: true });
const split = a['no-pin'] ? undefined : cpuSplit();
if (split) pinProcess(process.pid, split.client);
const pg = process.env.DATABASE_URL ? null : await spawnPGliteServer();
if (split && pg?.pid) pinProcess(pg.pid, split.server);
const redis = split && !process.env.REDIS_URL && redisServerAvailable() ? await startRedisServer(split.server) : null;
const pgUrl = process.env.DATABASE_URL ?? pg.url;
const redisUrl = redis?.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const placement = split ? `bench client on CPU ${split.client}; ${redis ? 'its own redis-server' : 'Redis (not started here, not placed)'} and ${pg ? 'PGlite' : 'Postgres (not placed)'} on CPU ${split.server}` : 'not placed (--no-pin, no taskset, or one CPU)';
process.stderr.write(`gate-error-rates: ${pairs} pair(s) x ${rounds} rounds x 4 sides = ${pairs * rounds * 4} bench runs of ${a.requests} requests; ${placement}\n`);
const bench = ['bench', ...GATE_RUN_BENCH_ARGS, '--requests', a.requests, '--trials', '1', '--pg-url', pgUrl, '--redis-url', redisUrl];
const sides = { A: [], ...Object.fromEntries(KINDS.map((k) => [k.side, k.flags])) };
const counts = Object.fromEntries(KINDS.map((k) => [k.side, { fail: 0, unsure: 0, hit: 0, changes: [] }]));
const load = [loadavg()[0]];
const started = Date.now();
const fmt = (m) => `${m.opName ?? m.tier ?? 'e2e'} ${m.stat} ${(m.change * 100).toFixed(1)}%`;
const totalRuns = pairs * rounds * 4;
let runsDone = 0;
const clock = (secs) => `${Math.floor(secs / 60)}:${String(Math.round(secs % 60)).padStart(2, '0')}`;
const perPair = [];

/**
 * How steady each percentile is, the evidence behind the default --stats: per round, the log ratio of
 * A2 to A (the same code twice: noise) and of B to A (every L2 lookup 10 % slower: noise + effect),
 * for the end-to-end latency and the L2 lookups, at several percentiles read from the histograms.
 */
const STEADINESS_STATS = ['p1', 'p5', 'p10', 'p25', 'p50'];
const STEADINESS_GROUPS = { 'end-to-end': (t) => t, L2: (t) => t.tiers.find((x) => x.name === 'L2') };
const steadiness = Object.fromEntries(Object.keys(STEADINESS_GROUPS).map((g) => [g, Object.fromEntries(STEADINESS_STATS.map((s) => [s, { noise: [], shift: [] }]))]));
function recordSteadiness(fileA, fileA2, fileB) {
  const trial = (f) => JSON.parse(readFileSync(f, 'utf8')).trials[0];
  const [ta, ta2, tb] = [fileA, fileA2, fileB].map(trial);
  const qs = STEADINESS_STATS.map((s) => Number(s.slice(1)) / 100);
  for (const [g, pick] of Object.entries(STEADINESS_GROUPS)) {
    if (![ta, ta2, tb].every((t) => pick(t)?.histogram)) continue;
    const [a, a2, b] = [ta, ta2, tb].map((t) => histogramQuantiles(pick(t).histogram, qs));
    STEADINESS_STATS.forEach((s, i) => {
      steadiness[g][s].noise.push(Math.log(a2[i] / a[i]));
      steadiness[g][s].shift.push(Math.log(b[i] / a[i]));
    });
  }
}
const mean = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length;
const sd = (xs) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((x, y) => x + (y - m) ** 2, 0) / (xs.length - 1));
};
function steadinessRows() {
  return Object.entries(steadiness).flatMap(([g, byStat]) =>
    Object.entries(byStat)
      .filter(([, v]) => v.noise.length >= 3)
      .map(([stat, v]) => ({ group: g, stat, rounds: v.noise.length, noiseSpreadPct: 100 * sd(v.noise), shiftPct: 100 * (Math.exp(mean(v.shift)) - 1), shiftOverSpread: mean(v.shift) / sd(v.noise) })),
  );
}

try {
  for (let p = 1; p <= pairs; p++) {
    const names = Object.keys(sides);
    const files = Object.fromEntries(names.map((n) => [n, []]));
    mkdirSync(join(dir, `pair-${p}`), { recursive: true });
    for (let r = 1; r <= rounds; r++) {
      const k = (p + r) % names.length;
      for (const side of [...names.slice(k), ...names.slice(0, k)]) {
        const out = join(dir, `pair-${p}`, `${side}-${r}.json`);
        await cli([...bench, ...sides[side], '--out', out, '--force']);
        files[side].push(out);
        runsDone++;
      }
      recordSteadiness(files.A[r - 1], files.A2[r - 1], files.B[r - 1]);
      const elapsed = (Date.now() - started) / 1000;
      const left = (elapsed / runsDone) * (totalRuns - runsDone);
      process.stderr.write(`pair ${p}/${pairs} round ${r}/${rounds}: ${runsDone}/${totalRuns} bench runs, ${clock(elapsed)} elapsed, about ${clock(left)} left (load ${loadavg()[0].toFixed(1)})\n`);
    }
    const line = [];
    const verdicts = {};
    for (const kind of KINDS) {
      const { code, v } = gate(files.A, files[kind.side]);
      const c = counts[kind.side];
      const failing = v.metrics.filter((m) => m.status === 'fail');
      if (code === 1) c.fail++;
      if (v.verdict === 'unsure') c.unsure++;
      if (code === 1 && failing.some(kind.caught)) c.hit++;
      const best = v.metrics.filter(kind.caught).sort((x, y) => x.pValue - y.pValue)[0];
      if (best) c.changes.push(best.change * 100);
      line.push(`${kind.side} ${v.verdict}${failing.length ? ` (${failing.map(fmt).join(', ')})` : ''}`);
      const brief = (m) => ({ tier: m.tier, opName: m.opName, stat: m.stat, change: m.change, pValue: m.pValue, pAdjusted: m.pAdjusted });
      verdicts[kind.side] = { verdict: v.verdict, exit: code, failing: failing.map(brief), mostSignificantChange: best?.change ?? null, mostSignificant: best ? brief(best) : null };
    }
    // In how many of this pair's rounds the L2 quartile of B rose over A's: what the gate's default
    // paired test (the sign test) counts for that metric.
    const shifts = steadiness.L2.p25.shift.slice(-rounds);
    const l2p25Rose = shifts.filter((x) => x > 0).length;
    perPair.push({ pair: p, load: loadavg()[0], verdicts, l2p25Rose });
    line.push(`L2 p25 of B rose in ${l2p25Rose}/${shifts.length} rounds`);
    load.push(loadavg()[0]);
    process.stderr.write(`pair ${String(p).padStart(2)}: ${line.join(' | ')} [${Math.round((Date.now() - started) / 1000)} s]\n`);
  }
} catch (e) {
  process.stderr.write(`gate-error-rates: ${e.message}\n`);
  process.exitCode = 2;
} finally {
  await pg?.stop();
  await redis?.stop();
  if (!a.keep) rmSync(dir, { recursive: true, force: true });
}
if (process.exitCode === 2) process.exit(2);

const secs = Math.round((Date.now() - started) / 1000);
const allowedFalse = Math.floor(pairs / 20);
const neededHits = pairs - Math.floor(pairs / 20);
const ok = counts.A2.fail <= allowedFalse && counts.B.hit >= neededHits && counts.C.hit >= neededHits;
const range = (xs) => (xs.length ? `${Math.min(...xs).toFixed(1)} %..${Math.max(...xs).toFixed(1)} %` : 'n/a');
const o = DEFAULT_GATE_OPTIONS;
const benchLine = bench.join(' ').replace(pgUrl, pg ? '<pglite>' : pgUrl).replace(redisUrl, redis ? '<its redis-server>' : redisUrl);
const table = {
  schema: 'llmcache/gate-error-rates@1',
  finishedAt: new Date().toISOString(),
  seconds: secs,
  loadAverage: { min: Math.min(...load), max: Math.max(...load) },
  placement,
  pairs,
  rounds,
  requests: Number(a.requests),
  gateDefaults: { stats: o.stats, threshold: o.threshold, warn: o.warn, alpha: o.alpha, paired, ...(paired ? { pairedTest: o.pairedTest } : {}) },
  targets: { maxFalseFailures: allowedFalse, minDetections: neededHits },
  rows: KINDS.map((k) => ({
    side: k.side,
    label: k.label,
    ...(k.side === 'A2' ? { falseFailures: counts.A2.fail } : { detections: counts[k.side].hit, failedAtAll: counts[k.side].fail }),
    couldNotTell: counts[k.side].unsure,
    ok: k.side === 'A2' ? counts.A2.fail <= allowedFalse : counts[k.side].hit >= neededHits,
  })),
  perPair,
  steadiness: steadinessRows(),
  ok,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(`${outFile}.tmp`, `${JSON.stringify(table, null, 2)}\n`);
renameSync(`${outFile}.tmp`, outFile);
process.stdout.write(
  [
    `gate error rates with the defaults (${pairs} pairs, ${rounds} rounds a pair, ${a.requests} requests a run, ${secs} s, load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}):`,
    `  gate defaults: --stats ${o.stats.join(',')} --threshold ${o.threshold * 100}% --warn ${o.warn * 100}% --alpha ${o.alpha}${paired ? ` --paired-test ${o.pairedTest}` : ''}, ${pairing} as gate run judges them (p ${paired ? 'Westfall-Young' : 'Holm'}-adjusted over the metrics)`,
    `  CPU placement: ${placement}`,
    `  A vs A:                      false failures ${counts.A2.fail}/${pairs} (target <= ${allowedFalse}) ${counts.A2.fail <= allowedFalse ? 'OK' : 'TOO MANY'}; could not tell ${counts.A2.unsure}/${pairs}`,
    ...KINDS.slice(1).map((k) => {
      const c = counts[k.side];
      return `  ${k.label.padEnd(28)} detections ${c.hit}/${pairs} (target >= ${neededHits}) ${c.hit >= neededHits ? 'OK' : 'TOO FEW'} (failed at all, any metric: ${c.fail}/${pairs}); could not tell ${c.unsure}/${pairs}; most significant change seen ${range(c.changes)}`;
    }),
    `how steady each percentile is (per round: spread of log(A2/A) between identical runs; mean change B/A, every L2 lookup +10 %; their ratio: larger separates a shift from noise better):`,
    ...steadinessRows().map((x) => `  ${x.group.padEnd(10)} ${x.stat.padEnd(4)} spread ${x.noiseSpreadPct.toFixed(1).padStart(5)} %  change ${x.shiftPct.toFixed(1).padStart(5)} %  ratio ${x.shiftOverSpread.toFixed(2).padStart(5)}  (${x.rounds} rounds)`),
    `per pair, round r = 1..${rounds} runs one bench of each side, the order rotating:`,
    `  llmcache ${benchLine} --out A-r.json       # and A2-r.json`,
    ...KINDS.slice(1).map((k) => `  llmcache ${benchLine} ${k.flags.join(' ')} --out ${k.side}-r.json`),
    `  llmcache gate --baseline A-*.json --current A2-*.json${paired ? ' --paired' : ''}   # and B-*.json, C-*.json (what gate run does)`,
    `table written to ${outFile}`,
    '',
  ].join('\n'),
);
process.exitCode = ok ? 0 : 1;
