#!/usr/bin/env node
// Runs the timing- and load-dependent tests many times and prints, for every measurement they report
// (`measured(t, …)` in test/timing-helper.ts), its spread against the bound the test asserts.
// Run it on a loaded machine: a bound must hold there, not only on a quiet one.
//
//   node scripts/test-spread.mjs [--runs 20] [FILE ...]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const DEFAULT_FILES = [
  'test/bench/open-loop.test.ts',
  'test/bench/concurrency.test.ts',
  'test/bench/redis-fault.test.ts',
  ['test/trace/fuzz.test.ts', 'a 48 MB line without a newline'],
  ['test/replay/fuzz.test.ts', 'a huge file without a newline'],
];

const args = process.argv.slice(2);
let runs = 20;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: node scripts/test-spread.mjs [--runs 20] [FILE ...]');
    process.exit(0);
  } else files.push(args[i]);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('test-spread: --runs takes a whole number ≥ 1');
  process.exit(2);
}

const targets = files.length ? files.map((f) => [f]) : DEFAULT_FILES.map((f) => (Array.isArray(f) ? f : [f]));

/** name -> { op, bound, values[] } */
const seen = new Map();
const failures = new Map();
const loads = [];
for (let r = 1; r <= runs; r++) {
  for (const [file, pattern] of targets) {
    loads.push(loadavg()[0]);
    const argv = ['--import', 'tsx', '--test', '--test-reporter=tap', ...(pattern ? ['--test-name-pattern', pattern] : []), file];
    const out = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const text = `${out.stdout}\n${out.stderr}`;
    for (const m of text.matchAll(/# measured (\S+) (\S+) (<=|>=|<|>) (\S+)/g)) {
      const [, name, value, op, bound] = m;
      const e = seen.get(name) ?? { file, op, bound: Number(bound), values: [] };
      e.values.push(Number(value));
      seen.set(name, e);
    }
    if (out.status !== 0) {
      const names = [...text.matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((m) => m[1]).filter((n) => !n.endsWith('.ts'));
      for (const name of names.length ? names : [file]) failures.set(`${file}: ${name}`, (failures.get(`${file}: ${name}`) ?? 0) + 1);
    }
    process.stderr.write(`\rrun ${r}/${runs} ${file}${' '.repeat(20)}`);
  }
}
process.stderr.write('\n');

const fmt = (v) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());
const holds = (v, op, b) => (op === '<' ? v < b : op === '<=' ? v <= b : op === '>=' ? v >= b : v > b);
const rows = [['measurement', 'bound', 'min', 'median', 'max', 'held']];
for (const [name, e] of seen) {
  const v = [...e.values].sort((a, b) => a - b);
  const held = v.filter((x) => holds(x, e.op, e.bound)).length;
  rows.push([name, `${e.op} ${fmt(e.bound)}`, fmt(v[0]), fmt(v[Math.floor(v.length / 2)]), fmt(v[v.length - 1]), `${held}/${v.length}`]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
const la = loads.filter(Number.isFinite).sort((a, b) => a - b);
console.log(`\n${runs} run(s) of each file; load average (1 min) at the start of each run: ${la[0].toFixed(1)}–${la[la.length - 1].toFixed(1)}, median ${la[Math.floor(la.length / 2)].toFixed(1)}.`);
for (const [test, n] of failures) console.log(`failed ${n} of ${runs} time(s): ${test}`);
