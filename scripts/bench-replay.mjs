#!/usr/bin/env node
// Speed and memory of `llmcache replay` on an oracleGeneral trace, measured end to end:
//  1. generates (once, seeded) Zipf-popularity oracleGeneral traces of 1M and 10M requests over
//     1M objects (alpha 0.9, log-normal sizes, true next-access times) unless they exist;
//  2. times `node bin/llmcache.js replay FILE --format oracle --cache lru:100000 --json` as a
//     whole process (process start included), N runs, and reports the median requests per second
//     (target: >= 2,000,000 req/s on the 10M trace);
//  3. reports the peak RSS of the 1M and the 10M run: the reader's memory must not grow with the
//     trace length (10× the requests, about the same RSS).
// Usage: npm run build && node scripts/bench-replay.mjs [--runs 3] [--dir DIR] [--requests 10000000] [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const runs = Number(opt('runs', 3));
const big = Number(opt('requests', 10_000_000));
const dir = opt('dir', join(tmpdir(), 'llmcache-bench-replay'));
const asJson = argv.includes('--json');
const TARGET = 2_000_000;
const KEYS = 1_000_000;
const ALPHA = 0.9;
const CACHE = 'lru:100000';

if (!existsSync(join(root, 'dist/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { writeOracleTrace } = await import(join(root, 'dist/replay/synth.js'));
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function traceFile(requests) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `zipf-a${ALPHA}-k${KEYS}-n${requests}-s1.oracleGeneral.bin`);
  if (!existsSync(file)) {
    log(`generating ${file} …`);
    await writeOracleTrace(file, { requests, keys: KEYS, alpha: ALPHA, seed: 1 });
  }
  return file;
}

function runOnce(file) {
  const args = [join(root, 'bin/llmcache.js'), 'replay', file, '--format', 'oracle', '--cache', CACHE, '--json'];
  const t0 = performance.now();
  const p = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallMs = performance.now() - t0;
  if (p.status !== 0) throw new Error(`replay failed (exit ${p.status}): ${p.stderr}`);
  const r = JSON.parse(p.stdout);
  return { wallMs, requests: r.requests, inProcess: r.results[0].reqPerSec, missRatio: r.results[0].missRatio, peakRssMB: r.peakRssMB };
}

const rows = [];
for (const requests of [1_000_000, big]) {
  const file = await traceFile(requests);
  const trials = Array.from({ length: runs }, () => runOnce(file));
  const wall = median(trials.map((t) => t.wallMs));
  rows.push({
    trace: file,
    requests,
    cache: CACHE,
    runs,
    wallMsMedian: Math.round(wall),
    endToEndReqPerSec: Math.round((requests * 1000) / wall),
    inProcessReqPerSec: median(trials.map((t) => t.inProcess)),
    missRatio: trials[0].missRatio,
    peakRssMB: Math.max(...trials.map((t) => t.peakRssMB)),
  });
}
const last = rows[rows.length - 1];
const verdict = {
  target: TARGET,
  pass: last.endToEndReqPerSec >= TARGET,
  rssGrowthMB: Math.round((last.peakRssMB - rows[0].peakRssMB) * 10) / 10,
};
if (asJson) {
  process.stdout.write(JSON.stringify({ schema: 'llmcache/bench-replay@1', node: process.version, rows, ...verdict }, null, 2) + '\n');
} else {
  for (const r of rows) {
    console.log(
      `${fmt(r.requests)} requests, ${r.cache}: ${fmt(r.wallMsMedian)} ms wall (median of ${r.runs}, process start included) = ` +
        `${fmt(r.endToEndReqPerSec)} req/s end to end; ${fmt(r.inProcessReqPerSec)} req/s in process; ` +
        `miss ratio ${(r.missRatio * 100).toFixed(2)}%; peak RSS ${fmt(r.peakRssMB, 1)} MiB`,
    );
  }
  console.log(`target >= ${fmt(TARGET)} req/s end to end on ${fmt(last.requests)} requests: ${verdict.pass ? 'PASS' : 'FAIL'}`);
  console.log(`peak RSS ${fmt(rows[0].requests)} -> ${fmt(last.requests)} requests: ${verdict.rssGrowthMB >= 0 ? '+' : ''}${verdict.rssGrowthMB} MiB`);
}
process.exitCode = verdict.pass ? 0 : 1;
