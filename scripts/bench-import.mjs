#!/usr/bin/env node
// `npm run bench:import`: throughput and peak RSS of reading recorded traffic, on generated
// Mooncake-format traces of 100 k and 1 M requests (conversations whose prompts share a system
// prefix and grow turn by turn, as in the FAST'25 traces; seeded, so every run reads the same bytes).
//
// For each size, in one invocation, each step runs in its own process of the built CLI:
//   import    llmcache trace import --from mooncake IN -o OUT.jsonl.gz
//   simulate  llmcache simulate --trace IN (Mooncake read directly, default stack)
//   stats     llmcache trace stats IN         (Mooncake reader)
//   baseline  llmcache trace stats OUT        (llmcache's own JSONL reader on the imported trace)
// Peak RSS is the process's maxRSS; constant memory shows as the same RSS at 1 M as at 100 k.
// Usage: node scripts/bench-import.mjs [--sizes 100000,1000000] [--keep]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '100000,1000000';
const sizes = sizesArg.split(',').map(Number);
const keep = args.includes('--keep');

const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The trace generator (src/trace/mooncake-synth.ts), from the build just made.
const { writeMooncakeTrace: generate } = await import(join(root, 'dist', 'trace', 'mooncake-synth.js'));

/** Run the CLI in a fresh process; returns wall seconds and the process's peak RSS (MB). */
function run(cliArgs) {
  const probe = join(root, 'scripts', 'max-rss.mjs');
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', probe, join(root, 'bin', 'llmcache.js'), ...cliArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const secs = (performance.now() - started) / 1000;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`llmcache ${cliArgs.join(' ')} exited with ${r.status}`);
  }
  const m = /max-rss-kb=(\d+)/.exec(r.stderr);
  return { secs, rssMb: m ? Number(m[1]) / 1024 : NaN };
}

const dir = mkdtempSync(join(tmpdir(), 'llmcache-bench-import-'));
const rows = [];
try {
  for (const n of sizes) {
    const input = join(dir, `mooncake-${n}.jsonl`);
    const output = join(dir, `imported-${n}.jsonl.gz`);
    const g0 = performance.now();
    await generate(input, n);
    process.stderr.write(`generated ${n} requests (${(statSync(input).size / 1e6).toFixed(0)} MB) in ${((performance.now() - g0) / 1000).toFixed(1)} s\n`);
    const steps = [
      ['import', ['trace', 'import', '--from', 'mooncake', input, '-o', output]],
      ['simulate', ['simulate', '--trace', input, '--json']],
      ['stats (Mooncake reader)', ['trace', 'stats', input, '--json']],
      ['stats (llmcache reader, baseline)', ['trace', 'stats', output, '--json']],
    ];
    for (const [name, cli] of steps) {
      const r = run(cli);
      rows.push({ n, step: name, secs: r.secs, perSec: n / r.secs, rssMb: r.rssMb });
      process.stderr.write(`  ${name}: ${r.secs.toFixed(1)} s, ${Math.round(n / r.secs).toLocaleString('en-US')} requests/s, peak RSS ${r.rssMb.toFixed(0)} MB\n`);
    }
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
}

const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
console.log(`\n${pad('requests', 10)} ${pad('step', 36)} ${lpad('seconds', 8)} ${lpad('requests/s', 12)} ${lpad('peak RSS MB', 12)}`);
for (const r of rows)
  console.log(`${pad(r.n.toLocaleString('en-US'), 10)} ${pad(r.step, 36)} ${lpad(r.secs.toFixed(1), 8)} ${lpad(Math.round(r.perSec).toLocaleString('en-US'), 12)} ${lpad(r.rssMb.toFixed(0), 12)}`);
for (const n of sizes) {
  const mine = rows.find((r) => r.n === n && r.step === 'stats (Mooncake reader)');
  const base = rows.find((r) => r.n === n && r.step.startsWith('stats (llmcache'));
  console.log(`${n.toLocaleString('en-US')}: Mooncake reader / llmcache reader throughput = ${(mine.perSec / base.perSec).toFixed(2)}`);
}
if (sizes.length > 1) {
  const [a, b] = [sizes[0], sizes[sizes.length - 1]];
  for (const step of ['import', 'simulate']) {
    const ra = rows.find((r) => r.n === a && r.step === step).rssMb;
    const rb = rows.find((r) => r.n === b && r.step === step).rssMb;
    console.log(`${step}: peak RSS at ${b.toLocaleString('en-US')} / at ${a.toLocaleString('en-US')} = ${(rb / ra).toFixed(2)} (constant memory: close to 1)`);
  }
}
