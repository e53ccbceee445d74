/**
 * CPU placement for latency measurements: the benchmark client on one CPU, the servers it measures
 * (a Redis started for the run, the embedded PGlite) on another. On a small machine the client and
 * a server on the same CPU take turns: every request's socket write wakes the server, which takes
 * the CPU from the client in the middle of its measurement; the client's timings then include the
 * server's work and the scheduler's choices. Apart, each has a CPU of its own (docs/gate.md).
 *
 * Linux only, through `taskset` (util-linux); elsewhere, or with fewer than two usable CPUs,
 * `cpuSplit()` is undefined and nothing is pinned.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** CPU lists in taskset's syntax (e.g. "0", "1-3"). */
export interface CpuSplit {
  client: string;
  server: string;
}

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** The CPUs this process may run on, from `taskset -p` (e.g. "0-1", "0,2"). */
function allowedCpus(): number[] {
  const out = execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' });
  const list = out.split(':').pop()?.trim() ?? '';
  return list.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) return [];
    return Array.from({ length: (Number.isInteger(b) ? b! : a!) - a! + 1 }, (_, i) => a! + i);
  });
}

/**
 * One CPU for the client, the others for the servers; undefined when taskset is missing or fewer
 * than two CPUs are usable (then nothing is pinned).
 */
export function cpuSplit(): CpuSplit | undefined {
  if (process.platform !== 'linux' || !hasCommand('taskset')) return undefined;
  try {
    const cpus = allowedCpus();
    if (cpus.length < 2) return undefined;
    return { client: String(cpus[0]), server: cpus.slice(1).join(',') };
  } catch {
    return undefined;
  }
}

/** argv prefixed with taskset, so the program starts on `cpus`. */
export function pinnedArgv(argv: string[], cpus: string | undefined): string[] {
  return cpus === undefined ? argv : ['taskset', '-c', cpus, ...argv];
}

/** Move a running process, all its threads, to `cpus`; false when that failed. */
export function pinProcess(pid: number, cpus: string): boolean {
  return spawnSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** A free loopback TCP port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers PING on the port. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    let got = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
  });
}

/** A redis-server started for one measurement. */
export interface OwnRedis {
  url: string;
  /** The redis-server's process id (taskset execs it in place). */
  pid: number;
  stop(): Promise<void>;
}

/** Whether `redis-server` is installed (then a run can start its own). */
export function redisServerAvailable(): boolean {
  return hasCommand('redis-server');
}

/**
 * Start a throwaway redis-server on a free loopback port (no persistence), on `cpus` when given;
 * resolves once it answers PING (timeout in ms).
 */
export async function startRedisServer(cpus: string | undefined, timeoutMs = 30_000): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'llmcache-redis-'));
  const argv = pinnedArgv(['redis-server', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, 'redis.log')], cpus);
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never left behind, whatever ends this process.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async () => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + timeoutMs;
  while (!(await pings(port))) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`redis-server on port ${port} did not start${child.exitCode !== null ? ` (exit ${child.exitCode})` : ` within ${timeoutMs / 1000} s`}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop };
}
