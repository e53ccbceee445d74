#!/usr/bin/env node
// Speed of `llmcache simulate`, measured (not assumed), in one invocation:
//  1. end to end: `llmcache simulate --leads 500` (the seed scenario, 30 days) as a whole process,
//     process start included, N runs; target: median under 1 s;
//  2. throughput: requests per second through the three-tier stack at 50,000 leads, exact-match
//     (target: at least 2,000,000 req/s) and with the default semantic L3 (reported);
//  3. the hot structure against its baseline, side by side on the same key stream: the project's
//     typed-array LRU (KeyedStore) vs a Map LRU that deletes and re-inserts on every hit;
//  4. memory: peak RSS of the 500-lead run vs a 50,000-lead run (bounded by the live set).
// Usage: npm run build && npm run bench:sim [-- --runs 5 --leads 50000 --days 2]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { median } from './paired.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('runs', 5);
const bigLeads = arg('leads', 50_000);
const bigDays = arg('days', 2);
if (!existsSync(join(root, 'dist/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
let failed = false;
const verdict = (ok) => {
  if (!ok) failed = true;
  return ok ? 'PASS' : 'FAIL';
};

// 1. End to end, whole process.
const wall = [];
let rss500 = 0;
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const p = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(root, 'bin/llmcache.js'), 'simulate', '--leads', '500', '--json'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (p.status !== 0) {
    console.error(p.stderr);
    process.exit(1);
  }
  rss500 = Math.max(rss500, Number(p.stderr.trim().split('\n').pop()) / 1024);
  wall.push(ms);
}
const e2e = median(wall);
console.log(`1. llmcache simulate --leads 500 (30 days), whole process, ${runs} runs:`);
console.log(`   min ${fmt(Math.min(...wall))} ms, median ${fmt(e2e)} ms, max ${fmt(Math.max(...wall))} ms  [target < 1000 ms: ${verdict(e2e < 1000)}]`);

// 2. Throughput at scale, in a child so its memory is measured on its own.
const child = spawnSync(
  '/usr/bin/time',
  [
    '-f',
    '%M',
    process.execPath,
    '--input-type=module',
    '-e',
    `import { defaultScenario, applyOverrides } from ${JSON.stringify(join(root, 'dist/config.js'))};
     import { simulate } from ${JSON.stringify(join(root, 'dist/sim/engine.js'))};
     const s = applyOverrides(defaultScenario(), { leads: ${bigLeads}, days: ${bigDays} });
     const exact = structuredClone(s);
     for (const t of exact.tiers) t.match = 'exact';
     const rates = { exact: [], semantic: [] };
     for (let i = 0; i < 3; i++) for (const [name, sc] of [['exact', exact], ['semantic', s]]) { const t0 = performance.now(); const r = simulate(sc); rates[name].push(r.requests / (performance.now() - t0) * 1000); if (i === 0 && name === 'exact') console.log(r.requests); }
     console.log(JSON.stringify(rates));`,
  ],
  { encoding: 'utf8' },
);
if (child.status !== 0) {
  console.error(child.stderr);
  process.exit(1);
}
const [reqLine, rateLine] = child.stdout.trim().split('\n');
const rates = JSON.parse(rateLine);
const rate = median(rates.exact);
const rateSemantic = median(rates.semantic);
const rssBig = Number(child.stderr.trim().split('\n').pop()) / 1024;
console.log(`2. three-tier stack, ${fmt(bigLeads)} leads x ${bigDays} days = ${fmt(Number(reqLine))} requests, 3 runs each, interleaved in one process:`);
console.log(`   L1/L2/L3 exact-match:           ${rates.exact.map((r) => fmt(r / 1e6, 2)).join(' / ')} M req/s, median ${fmt(rate / 1e6, 2)} M req/s  [target >= 2 M req/s: ${verdict(rate >= 2e6)}]`);
console.log(`   default stack, L3 semantic:     ${rates.semantic.map((r) => fmt(r / 1e6, 2)).join(' / ')} M req/s, median ${fmt(rateSemantic / 1e6, 2)} M req/s  (${fmt(rateSemantic / rate, 2)}x of exact; each L3 lookup embeds the query and scans the contact's live entries)`);

// 3. KeyedStore vs a Map LRU on the same Zipf-like key stream.
const micro = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `import { KeyedStore } from ${JSON.stringify(join(root, 'dist/tiers/store.js'))};
     const N = 5_000_000, CAP = 100_000, keys = new Float64Array(N);
     let x = 12345; for (let i = 0; i < N; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; keys[i] = Math.floor(1_000_000 * (x / 4294967296) ** 3); }
     function typed() { const s = new KeyedStore(CAP, 'lru'); let m = 0; for (let i = 0; i < N; i++) { const k = keys[i]; if (s.get(k) < 0) { m++; s.insert(k); } } return m; }
     function mapLru() { const s = new Map(); let m = 0; for (let i = 0; i < N; i++) { const k = keys[i]; if (s.has(k)) { const v = s.get(k); s.delete(k); s.set(k, v); } else { m++; if (s.size >= CAP) s.delete(s.keys().next().value); s.set(k, 1); } } return m; }
     const out = {};
     for (const [name, f] of [['typed', typed], ['map', mapLru], ['typed', typed], ['map', mapLru]]) { const t0 = performance.now(); const m = f(); const dt = performance.now() - t0; out[name] = { misses: m, ms: Math.min(out[name]?.ms ?? Infinity, dt) }; }
     console.log(JSON.stringify(out));`,
  ],
  { encoding: 'utf8' },
);
const m = JSON.parse(micro.stdout);
console.log(`3. LRU of 100,000 entries, 5M Zipf-like requests (best of 2, interleaved):`);
console.log(`   KeyedStore ${fmt(5e6 / m.typed.ms / 1e3, 1)} M req/s vs Map delete+reinsert ${fmt(5e6 / m.map.ms / 1e3, 1)} M req/s: ${fmt(m.map.ms / m.typed.ms, 2)}x  [same misses: ${verdict(m.typed.misses === m.map.misses)}]`);

console.log(`4. peak RSS: ${fmt(rss500)} MB for 500 leads x 30 days; ${fmt(rssBig)} MB for ${fmt(bigLeads)} leads x ${bigDays} days`);
process.exit(failed ? 1 : 0);
