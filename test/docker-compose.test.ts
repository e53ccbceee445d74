/**
 * docker-compose.yml is for users with Docker (Docker does not run here): every image pinned and
 * health-checked, and the cluster profile's own start script and health check run for real,
 * with plain redis-server, on free loopback ports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { runBench } from '../src/bench/bench.ts';
import { benchOptions, smallScenario } from './bench/helpers.ts';

const run = promisify(execFile);

interface Service {
  image: string;
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as { services: Record<string, Service> };

/** Compose escapes `$` as `$$`; the shell sees one. */
const unescape = (s: string) => s.replace(/\$\$/g, '$');

test('docker-compose: every image is pinned to a version and every service has a health check', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    assert.match(s.image, /:[\w.-]*\d[\w.-]*$/, `${name}: ${s.image} is pinned`);
    assert.doesNotMatch(s.image, /:latest$/);
    assert.ok(s.healthcheck?.test?.length, `${name} has a health check`);
  }
  assert.deepEqual(compose.services['redis-cluster']!.profiles, ['cluster'], 'the cluster is optional');
  assert.deepEqual(compose.services['redis-cluster']!.ports, ['127.0.0.1:7000-7005:7000-7005']);
});

/** A base port with the 6 ports after it and their cluster-bus ports (+10000) free. */
async function freeRange(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (let base = 20_000 + (process.pid % 500) * 10; base < 30_000; base += 10) {
    let ok = true;
    for (let i = 0; i < 6 && ok; i++) ok = (await free(base + i)) && (await free(base + i + 10_000));
    if (ok) return base;
  }
  throw new Error('no free port range');
}

test('docker-compose cluster profile: its start script builds a healthy 3 + 3 cluster that bench uses, and leaves no key', async () => {
  const svc = compose.services['redis-cluster']!;
  const base = await freeRange();
  // Each node's files (cluster config, the replicas' RDB of a full sync, logs) in a folder of this
  // run: a node that found another run's RDB would start with keys and refuse to join a new cluster.
  const dataDir = mkdtempSync(join(tmpdir(), 'llmcache-compose-cluster-'));
  const env = { ...process.env, ...svc.environment, BASE_PORT: String(base), BIND: '127.0.0.1', DATA_DIR: dataDir };
  const script = unescape(svc.command![0]!);
  const health = unescape(svc.healthcheck!.test[1]!);
  const sh = spawn('sh', ['-c', script], { env, detached: true, stdio: 'ignore' });
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      const ok = await run('sh', ['-c', health], { env, timeout: 5000 }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      assert.ok(Date.now() < until, 'the health check passes within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const { stdout } = await run('redis-cli', ['-p', String(base), 'cluster', 'info']);
    assert.match(stdout, /cluster_known_nodes:6/);
    assert.match(stdout, /cluster_size:3/);
    const s = smallScenario({ leads: 10 });
    s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
    const r = await runBench(benchOptions(s, { redisCluster: [`redis://127.0.0.1:${base}`], requests: 300, runId: `dc${process.pid}` }));
    assert.equal(r.errors, 0);
    assert.equal(Object.keys(r.tiers.find((t) => t.name === 'L2')!.nodes!).length, 3);
    // Masters are cleaned at once; a replica applies the UNLINKs when its replication stream
    // reaches them (asynchronous), so it gets a few seconds to catch up.
    for (let i = 0; i < 6; i++) {
      let keys = '';
      for (const until = Date.now() + 5000; ; await new Promise((r) => setTimeout(r, 100))) {
        keys = (await run('redis-cli', ['-p', String(base + i), '--scan', '--pattern', `llmcache:bench:dc${process.pid}*`])).stdout.trim();
        if (keys === '' || Date.now() > until) break;
      }
      assert.equal(keys, '', `no key left on node ${base + i}`);
    }
  } finally {
    try {
      process.kill(-sh.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
