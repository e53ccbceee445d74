/**
 * Throwaway Redis servers for tests, never the shared one on 6379: a standalone `redis-server`
 * or a real Redis Cluster (3 masters + 3 replicas, `--cluster-enabled yes`, created with
 * `redis-cli --cluster create … --cluster-replicas 1`) on free loopback ports, with an optional
 * password and TLS (certificates in test/fixtures/tls). Every server is stopped by `stop()`, and
 * killed when the test process exits whatever happened.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { redisServerAvailable } from '../src/core/placement.ts';
import { freePort } from './net-helper.ts';

const run = promisify(execFile);
const TLS_DIR = new URL('./fixtures/tls/', import.meta.url).pathname;

/** The test CA (PEM) that signed the servers' certificate (CN localhost, SAN 127.0.0.1). */
export const TEST_CA = readFileSync(join(TLS_DIR, 'ca.crt'), 'utf8');

export interface ServerOptions {
  /** `requirepass` (and `masterauth` for replicas). */
  password?: string;
  /** Serve TLS only (the port is the TLS port; replication and the cluster bus use TLS too). */
  tls?: boolean;
}

/** One redis-server process. */
export interface LocalRedis {
  port: number;
  /** redis:// or rediss:// URL (with the password when there is one). */
  url: string;
  proc: ChildProcess;
  /** A client to this node (password and TLS applied); the caller disconnects it. */
  client(): Redis;
  /** SIGKILL the server (a crash: no goodbye on its connections). */
  kill(): void;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

function serverArgs(port: number, dir: string, o: ServerOptions): string[] {
  const a = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, `${port}.log`)];
  if (o.password) a.push('--requirepass', o.password, '--masterauth', o.password);
  if (o.tls) {
    a.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', join(TLS_DIR, 'redis.crt'), '--tls-key-file', join(TLS_DIR, 'redis.key'));
    a.push('--tls-ca-cert-file', join(TLS_DIR, 'ca.crt'), '--tls-auth-clients', 'no', '--tls-replication', 'yes', '--tls-cluster', 'yes');
  } else a.push('--port', String(port));
  return a;
}

function clientOptions(port: number, o: ServerOptions) {
  return {
    host: '127.0.0.1',
    port,
    password: o.password,
    tls: o.tls ? { ca: TEST_CA } : undefined,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  };
}

async function waitFor(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) throw new Error(`${what}: not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ask a node something once, with a fresh connection. */
async function ask<T>(port: number, o: ServerOptions, f: (c: Redis) => Promise<T>): Promise<T> {
  const c = new Redis(clientOptions(port, o));
  c.on('error', () => {});
  try {
    await c.connect();
    return await f(c);
  } finally {
    c.disconnect();
  }
}

/** Checked once: without redis-server a test says so in one sentence, not as a spawn error or a 10 s wait. */
let serverInstalled: boolean | undefined;

async function startServer(port: number, dir: string, o: ServerOptions, extra: string[] = []): Promise<LocalRedis> {
  if (!(serverInstalled ??= redisServerAvailable())) {
    throw new Error('redis-server is not on the PATH: these tests start their own Redis servers; install it (Debian/Ubuntu: apt-get install redis-server, which brings redis-cli too; see the README\'s Quick start)');
  }
  const proc = spawn('redis-server', [...serverArgs(port, dir, o), ...extra], { stdio: 'ignore' });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  const auth = o.password ? `:${encodeURIComponent(o.password)}@` : '';
  const node: LocalRedis = {
    port,
    url: `${o.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    proc,
    client: () => {
      const c = new Redis(clientOptions(port, o));
      c.on('error', () => {});
      return c;
    },
    kill: () => void proc.kill('SIGKILL'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
  await waitFor(`redis-server on port ${port}`, 10_000, async () => {
    if (proc.exitCode !== null) throw new Error(`redis-server on port ${port} exited (${proc.exitCode}); see ${dir}/${port}.log`);
    return (await ask(port, o, (c) => c.ping())) === 'PONG';
  }).catch(async (e) => {
    await node.stop();
    throw e;
  });
  return node;
}

/** A standalone redis-server on a free loopback port, in its own temp dir. */
export async function startRedis(o: ServerOptions = {}): Promise<LocalRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'llmcache-redis-'));
  const node = await startServer(await freePort(), dir, o).catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const stop = node.stop;
  node.stop = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return node;
}

export interface LocalCluster {
  nodes: LocalRedis[];
  /** Seed URLs of every node (what `--redis-cluster` takes). */
  seeds: string[];
  /** Ports of the nodes that are masters now, as the live nodes see it. */
  masters(): Promise<number[]>;
  /** Wait until every live node reports cluster_state:ok and the live masters cover all slots. */
  healthy(ms?: number): Promise<void>;
  /** Keys matching `pattern` on every live node, by port (replicas included). */
  countKeys(pattern: string): Promise<Record<number, number>>;
  stop(): Promise<void>;
}

export interface ClusterOptions extends ServerOptions {
  /** cluster-node-timeout (ms): how long a silent master takes to be failed over. */
  nodeTimeoutMs?: number;
}

/** 3 masters + 3 replicas on free loopback ports (the cluster bus on its own free port). */
export async function startCluster(o: ClusterOptions = {}): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'llmcache-cluster-'));
  const nodes: LocalRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  const live = () => nodes.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null);
  try {
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      const bus = await freePort();
      const extra = ['--cluster-enabled', 'yes', '--cluster-port', String(bus), '--cluster-config-file', join(dir, `nodes-${port}.conf`)];
      // Replicas sync at once (the default waits 5 s for more replicas to share a transfer): a
      // replica that never synced cannot be promoted.
      extra.push('--cluster-node-timeout', String(o.nodeTimeoutMs ?? 2000), '--repl-diskless-sync-delay', '0');
      nodes.push(await startServer(port, dir, o, extra));
    }
    const cliArgs = ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'];
    if (o.tls) cliArgs.push('--tls', '--cacert', join(TLS_DIR, 'ca.crt'));
    await run('redis-cli', cliArgs, { env: { ...process.env, ...(o.password ? { REDISCLI_AUTH: o.password } : {}) }, timeout: 60_000 });
    const cluster: LocalCluster = {
      nodes,
      seeds: nodes.map((n) => n.url),
      async masters() {
        const out: number[] = [];
        for (const n of live()) {
          const role = await ask(n.port, o, (c) => c.role()).catch(() => null);
          if (role && role[0] === 'master') out.push(n.port);
        }
        return out;
      },
      async healthy(ms = 30_000) {
        await waitFor('Redis Cluster health', ms, async () => {
          let slots = 0;
          for (const n of live()) {
            const info = await ask(n.port, o, (c) => c.cluster('INFO'));
            if (!/cluster_state:ok/.test(info)) return false;
            const role = await ask(n.port, o, (c) => c.role());
            // A replica is in sync (its master's link up), unless its master is the one we killed.
            if (role[0] === 'slave' && role[3] !== 'connected' && live().some((m) => m.port === role[2])) return false;
            if (role[0] === 'master') {
              const mine = await ask(n.port, o, (c) => c.cluster('SHARDS'));
              slots += ownSlots(mine, n.port);
            }
          }
          return slots === 16384;
        });
      },
      async countKeys(pattern) {
        const out: Record<number, number> = {};
        for (const n of live()) {
          out[n.port] = await ask(n.port, o, async (c) => {
            let cursor = '0';
            let count = 0;
            do {
              const [next, keys] = await c.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
              cursor = next;
              count += keys.length;
            } while (cursor !== '0');
            return count;
          });
        }
        return out;
      },
      stop,
    };
    await cluster.healthy();
    return cluster;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Slots served by the master on `port`, from a CLUSTER SHARDS reply. */
function ownSlots(shards: unknown, port: number): number {
  for (const shard of shards as unknown[][]) {
    const fields = pairs(shard);
    const nodes = (fields.nodes as unknown[][]).map(pairs);
    const me = nodes.find((n) => (n.port === port || n['tls-port'] === port) && n.role === 'master');
    if (!me) continue;
    const ranges = fields.slots as number[];
    let total = 0;
    for (let i = 0; i + 1 < ranges.length; i += 2) total += ranges[i + 1]! - ranges[i]! + 1;
    return total;
  }
  return 0;
}

function pairs(a: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < a.length; i += 2) o[String(a[i])] = a[i + 1];
  return o;
}
