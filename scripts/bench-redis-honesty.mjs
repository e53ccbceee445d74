#!/usr/bin/env node
/**
 * Harness honesty: redis-benchmark (Debian package redis-tools) and `llmcache bench` against the
 * SAME Redis in one invocation.
 *
 *   concurrency 1:  bench's Redis GET p50 must be within 2x of redis-benchmark's GET p50;
 *   concurrency 50: bench's Redis throughput (GET + SET commands/s, ioredis auto-pipelining) must
 *                   be at least redis-benchmark's GET rps without pipelining (-P 1).
 *
 * CPU placement (src/core/placement.ts, as `gate run` does it): both clients, redis-benchmark and
 * bench, run on one CPU and the Redis they measure on another, so neither client's socket writes
 * hand its CPU to the server it just woke. Without --redis-url (or $REDIS_URL) the script starts a
 * redis-server of its own on that other CPU; `--no-pin` leaves placement to the scheduler and uses
 * the Redis on 127.0.0.1:6379.
 *
 * Beside each, the client library's own floor (scripts/redis-client-floor.mjs: a bare ioredis loop
 * with bench's command mix, on the same CPU): what bench costs on top of the library it must use.
 *   concurrency 1:  bench's L2 GET p50 within 1.5x of the bare loop's GET p50;
 *   concurrency 50: bench's Redis commands/s at least 0.8x the bare loop's.
 *
 * For the record, not checked: concurrency 50 without auto-pipelining (`bench --redis-auto-pipelining
 * off` and the bare loop likewise), one command per write as redis-benchmark -P 1 sends them.
 *
 * Each ratio is taken within a round (redis-benchmark, bench and the bare loop back to back, the
 * order rotating), and the median over the rounds (--rounds, default 3) is checked.
 *
 * Usage: node scripts/bench-redis-honesty.mjs [--redis-url redis://127.0.0.1:6379] [--duration 3s] [--rounds 3] [--no-pin]
 * Exit 0 when all four hold, 1 when one fails, 2 when a tool is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './paired.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const duration = arg('--duration', '3s');
const tsx = existsSync(join(root, 'src', 'cli.ts')) && existsSync(join(root, 'node_modules', 'tsx'));
if (tsx) (await import('tsx/esm/api')).register();
const { cpuSplit, pinnedArgv, redisServerAvailable, startRedisServer } = await import(join(root, tsx ? 'src/core/placement.ts' : 'dist/core/placement.js'));
const given = arg('--redis-url', process.env.REDIS_URL);
const split = args.includes('--no-pin') ? undefined : cpuSplit();
const ownRedis = split && !given && redisServerAvailable() ? await startRedisServer(split.server) : null;
const redisUrl = ownRedis?.url ?? given ?? 'redis://127.0.0.1:6379';
const { hostname, port } = new URL(redisUrl);
const clientCpus = split?.client;

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
if (!which('redis-benchmark')) {
  process.stderr.write('redis-benchmark not found: install it with `apt-get install -y redis-tools`.\n');
  process.exit(2);
}

/** redis-benchmark GET at concurrency c, no pipelining: { p50Us, rps }. */
function redisBenchmark(c, n) {
  const [cmd, ...rest] = pinnedArgv(['redis-benchmark', '-h', hostname, '-p', port || '6379', '-t', 'get', '-n', String(n), '-c', String(c), '-P', '1', '-d', '64', '--csv'], clientCpus);
  const csv = execFileSync(cmd, rest, { encoding: 'utf8' });
  const [head, row] = csv.trim().split('\n').map((l) => l.split(',').map((x) => x.replace(/"/g, '')));
  const col = (name) => Number(row[head.indexOf(name)]);
  return { p50Us: col('p50_latency_ms') * 1000, rps: col('rps') };
}

/** The bench CLI: the TypeScript sources through tsx (a checkout), else the built dist/. */
function benchCli(extra) {
  const entry = tsx ? join(root, 'src', 'cli.ts') : join(root, 'dist', 'cli.js');
  // Under -e, argv[1] is the first extra argument: 'x' stands in for the script, as main expects.
  const run = `import(${JSON.stringify(entry)}).then((m) => m.main(process.argv)).then((c) => (process.exitCode = c))`;
  const [cmd, ...rest] = pinnedArgv([process.execPath, ...(tsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', run, 'x', 'bench', ...extra], clientCpus);
  const r = spawnSync(cmd, rest, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw Object.assign(new Error('bench failed'), { exitCode: r.status ?? 2 });
  }
  return JSON.parse(r.stdout);
}

// A one-tier stack: every lookup is one Redis GET, every write-back one SET.
const dir = mkdtempSync(join(tmpdir(), 'llmcache-honesty-'));
const scenarioFile = join(dir, 'redis-only.json');
writeFileSync(
  scenarioFile,
  JSON.stringify({
    name: 'redis-honesty',
    memoryWriteThrough: false,
    tiers: [{ name: 'L2', kind: 'redis', scope: 'shared', memoryDepth: 'full', ttl: { memory: 900, score: 900, intent: 900, market: 3600, response: 900 } }],
  }),
);

/** The bare ioredis loop at concurrency c with bench's SET-per-GET share: { p50Us, commandsPerSec }. */
function clientFloor(c, writeShare, autoPipelining) {
  const ms = Math.round(Number.parseFloat(duration) * (duration.endsWith('ms') ? 1 : 1000));
  const [cmd, ...rest] = pinnedArgv([process.execPath, join(root, 'scripts', 'redis-client-floor.mjs'), '--url', redisUrl, '--concurrency', String(c), '--duration-ms', String(ms), '--write-share', String(writeShare), '--value-bytes', '100', ...(autoPipelining ? ['--auto-pipelining', autoPipelining] : [])], clientCpus);
  const r = JSON.parse(execFileSync(cmd, rest, { cwd: root, encoding: 'utf8' }));
  return { p50Us: r.getP50Us, commandsPerSec: r.commandsPerSec };
}

function benchRedis(c, autoPipelining) {
  const pipelining = autoPipelining ? ['--redis-auto-pipelining', autoPipelining] : [];
  const r = benchCli(['--scenario', scenarioFile, '--redis-url', redisUrl, '-c', String(c), '--duration', duration, '--warmup', '500', '--llm-time-scale', '0', '--value-bytes', '64', ...pipelining, '--json', '--out', join(dir, `bench-c${c}${autoPipelining ?? ''}.json`), '--force']);
  const l2 = r.tiers.find((t) => t.name === 'L2');
  const seconds = r.trials.reduce((a, t) => a + t.durationMs, 0) / 1000;
  return { p50Us: l2.latencyUs.p50, p99Us: l2.latencyUs.p99, commandsPerSec: (l2.lookups + l2.writes) / seconds, requestsPerSec: r.throughput, clientBottleneck: r.clientBottleneck, writeShare: l2.writes / l2.lookups };
}

const rounds = Number(arg('--rounds', '3'));
if (!(Number.isInteger(rounds) && rounds >= 1)) {
  process.stderr.write(`--rounds: expected a whole number >= 1, got ${arg('--rounds')}\n`);
  process.exit(2);
}
/** The round that gave the median of `ratios` (the lower middle one for an even count): its figures are the ones printed. */
const medianRound = (ratios) => ratios.indexOf([...ratios].sort((x, y) => x - y)[(ratios.length - 1) >> 1]);
const range = (xs) => (xs.length > 1 ? ` (rounds ${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)})` : '');

try {
  // Each round measures redis-benchmark, bench and the bare loop back to back, the order rotating
  // from round to round, and every ratio is taken within a round: a slower minute of the machine
  // then slows both sides of a ratio, and the median over the rounds is what is checked.
  const runs = [];
  let writeShare1;
  let writeShare50;
  for (let r = 0; r < rounds; r++) {
    const one = {};
    const steps = {
      rb: () => ((one.rb1 = redisBenchmark(1, 20000)), (one.rb50 = redisBenchmark(50, 100000))),
      b: () => {
        one.b1 = benchRedis(1);
        one.b50 = benchRedis(50);
        writeShare1 ??= one.b1.writeShare;
        writeShare50 ??= one.b50.writeShare;
      },
      f: () => ((one.f1 = clientFloor(1, writeShare1)), (one.f50 = clientFloor(50, writeShare50))),
    };
    // The bare loop needs bench's write share (a property of the trace, the same in every round): round 1 benches first.
    const order = [['rb', 'b', 'f'], ['b', 'f', 'rb'], ['f', 'rb', 'b']][r % 3];
    for (const step of order) steps[step]();
    runs.push(one);
    if (rounds > 1) process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  const ratios1 = runs.map((x) => x.b1.p50Us / x.rb1.p50Us);
  const ratios50 = runs.map((x) => x.b50.commandsPerSec / x.rb50.rps);
  const owns1 = runs.map((x) => x.b1.p50Us / x.f1.p50Us);
  const owns50 = runs.map((x) => x.b50.commandsPerSec / x.f50.commandsPerSec);
  const at = (ratios) => runs[medianRound(ratios)];
  const { rb1, b1 } = at(ratios1);
  const { rb50, b50 } = at(ratios50);
  const { f1, b1: b1own } = at(owns1);
  const { f50, b50: b50own } = at(owns50);
  const b50off = benchRedis(50, 'off');
  const f50off = clientFloor(50, writeShare50, 'off');
  const ratio1 = median(ratios1);
  const ratio50 = median(ratios50);
  const ok1 = ratio1 <= 2;
  const ok50 = ratio50 >= 1;
  const own1 = median(owns1);
  const own50 = median(owns50);
  const okOwn1 = own1 <= 1.5;
  const okOwn50 = own50 >= 0.8;
  const lines = [
    `Redis ${redisUrl.replace(/:[^:@/]*@/, ':***@')}${ownRedis ? ' (started for this run)' : ''}; ${split ? `clients on CPU ${split.client}, ${ownRedis ? 'Redis' : 'nothing else'} on CPU ${split.server}` : 'no CPU placement'}`,
    `${rounds} round(s); each ratio is taken within a round, the median over the rounds is checked, and the figures shown are those of the median round:`,
    `concurrency 1 : redis-benchmark GET p50 ${rb1.p50Us.toFixed(0)} µs | bench L2 GET p50 ${b1.p50Us.toFixed(0)} µs | ratio ${ratio1.toFixed(2)}${range(ratios1)} (must be <= 2) ${ok1 ? 'OK' : 'FAIL'}`,
    `concurrency 50: redis-benchmark GET ${rb50.rps.toFixed(0)} rps (-P 1) | bench ${b50.commandsPerSec.toFixed(0)} Redis commands/s (${b50.requestsPerSec.toFixed(0)} req/s, auto-pipelining) | ratio ${ratio50.toFixed(2)}${range(ratios50)} (must be >= 1) ${ok50 ? 'OK' : 'FAIL'}`,
    `bench against its own client library (a bare ioredis loop, same CPU, same GET/SET mix):`,
    `concurrency 1 : bare ioredis GET p50 ${f1.p50Us.toFixed(0)} µs | bench ${b1own.p50Us.toFixed(0)} µs | ratio ${own1.toFixed(2)}${range(owns1)} (must be <= 1.5) ${okOwn1 ? 'OK' : 'FAIL'}`,
    `concurrency 50: bare ioredis ${f50.commandsPerSec.toFixed(0)} commands/s | bench ${b50own.commandsPerSec.toFixed(0)} | ratio ${own50.toFixed(2)}${range(owns50)} (must be >= 0.8) ${okOwn50 ? 'OK' : 'FAIL'}`,
  ];
  lines.push(
    `not checked: concurrency 50 without auto-pipelining (one command per write, as redis-benchmark -P 1): bare ioredis ${f50off.commandsPerSec.toFixed(0)} commands/s (${(f50off.commandsPerSec / rb50.rps).toFixed(2)}x redis-benchmark) | bench ${b50off.commandsPerSec.toFixed(0)} (${(b50off.commandsPerSec / rb50.rps).toFixed(2)}x; ${(b50off.commandsPerSec / f50off.commandsPerSec).toFixed(2)}x the bare loop), L2 GET p50 ${b50off.p50Us.toFixed(0)} µs p99 ${b50off.p99Us.toFixed(0)} µs vs ${b50.p50Us.toFixed(0)} / ${b50.p99Us.toFixed(0)} µs auto-pipelined`,
  );
  if (runs.some((x) => x.b1.clientBottleneck || x.b50.clientBottleneck)) lines.push('note: bench flagged its own client as a bottleneck in at least one run');
  process.stdout.write(lines.join('\n') + '\n');
  process.exitCode = ok1 && ok50 && okOwn1 && okOwn50 ? 0 : 1;
} catch (e) {
  if (e.exitCode === undefined) throw e;
  process.exitCode = e.exitCode;
} finally {
  rmSync(dir, { recursive: true, force: true });
  await ownRedis?.stop();
}
