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
 * rounds and requests, then gates A against each other side with no flags at all (defaults).
 *
 * Bench runs go through the built CLI's entry point (dist/cli.js `main`) in this process, the same
 * parsing and engine as `node bin/llmcache.js bench` without ~1.5 s of process start per run;
 * `node bin/llmcache.js gate` runs as a real process (real exit code).
 *
 * Usage: npm run build && node scripts/gate-error-rates.mjs [--pairs 20] [--rounds N] [--requests N] [--keep DIR]
 * Exit 0 when every target holds (false failures <= 1 per 20, detections >= 19 per 20 for each
 * kind), 1 otherwise, 2 on setup errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
const { GATE_RUN_ROUNDS, GATE_RUN_REQUESTS, GATE_RUN_BENCH_ARGS } = await import(join(root, 'dist/commands/gate.js'));
const { DEFAULT_GATE_OPTIONS } = await import(join(root, 'dist/gate.js'));

const { values: a } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    rounds: { type: 'string', default: String(GATE_RUN_ROUNDS) },
    requests: { type: 'string', default: String(GATE_RUN_REQUESTS) },
    keep: { type: 'string' },
  },
});
const pairs = Number(a.pairs);
const rounds = Number(a.rounds);
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

/** `llmcache gate` with its defaults, as a separate process: exit code and JSON verdict. */
function gate(baseline, current) {
  const args = [cliPath, 'gate', '--baseline', ...baseline, '--current', ...current, '--json'];
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
const pg = process.env.DATABASE_URL ? null : await spawnPGliteServer();
const pgUrl = process.env.DATABASE_URL ?? pg.url;
const bench = ['bench', ...GATE_RUN_BENCH_ARGS, '--requests', a.requests, '--trials', '1', '--pg-url', pgUrl];
const sides = { A: [], ...Object.fromEntries(KINDS.map((k) => [k.side, k.flags])) };
const counts = Object.fromEntries(KINDS.map((k) => [k.side, { fail: 0, unsure: 0, hit: 0, changes: [] }]));
const load = [loadavg()[0]];
const started = Date.now();
const fmt = (m) => `${m.tier ?? 'e2e'} ${m.stat} ${(m.change * 100).toFixed(1)}%`;

try {
  for (let p = 1; p <= pairs; p++) {
    const names = Object.keys(sides);
    const files = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 1; r <= rounds; r++) {
      const k = (p + r) % names.length;
      for (const side of [...names.slice(k), ...names.slice(0, k)]) {
        const out = join(dir, `pair-${p}`, `${side}-${r}.json`);
        await cli([...bench, ...sides[side], '--out', out, '--force']);
        files[side].push(out);
      }
    }
    const line = [];
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
    }
    load.push(loadavg()[0]);
    process.stderr.write(`pair ${String(p).padStart(2)}: ${line.join(' | ')} [${Math.round((Date.now() - started) / 1000)} s]\n`);
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
const allowedFalse = Math.floor(pairs / 20);
const neededHits = pairs - Math.floor(pairs / 20);
const ok = counts.A2.fail <= allowedFalse && counts.B.hit >= neededHits && counts.C.hit >= neededHits;
const range = (xs) => (xs.length ? `${Math.min(...xs).toFixed(1)} %..${Math.max(...xs).toFixed(1)} %` : 'n/a');
const o = DEFAULT_GATE_OPTIONS;
process.stdout.write(
  [
    `gate error rates with the defaults (${pairs} pairs, ${rounds} rounds a pair, ${a.requests} requests a run, ${secs} s, load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}):`,
    `  gate defaults: --stats ${o.stats.join(',')} --threshold ${o.threshold * 100}% --warn ${o.warn * 100}% --alpha ${o.alpha}`,
    `  A vs A:                      false failures ${counts.A2.fail}/${pairs} (target <= ${allowedFalse}) ${counts.A2.fail <= allowedFalse ? 'OK' : 'TOO MANY'}; could not tell ${counts.A2.unsure}/${pairs}`,
    ...KINDS.slice(1).map((k) => {
      const c = counts[k.side];
      return `  ${k.label.padEnd(28)} detections ${c.hit}/${pairs} (target >= ${neededHits}) ${c.hit >= neededHits ? 'OK' : 'TOO FEW'}; could not tell ${c.unsure}/${pairs}; most significant change seen ${range(c.changes)}`;
    }),
    `per pair, round r = 1..${rounds} runs one bench of each side, the order rotating:`,
    `  llmcache ${bench.join(' ').replace(pgUrl, '<pglite>')} --out A-r.json       # and A2-r.json`,
    ...KINDS.slice(1).map((k) => `  llmcache ${bench.join(' ').replace(pgUrl, '<pglite>')} ${k.flags.join(' ')} --out ${k.side}-r.json`),
    '  llmcache gate --baseline A-*.json --current A2-*.json        # and B-*.json, C-*.json',
    '',
  ].join('\n'),
);
process.exitCode = ok ? 0 : 1;
