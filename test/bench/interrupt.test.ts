/**
 * Ctrl-C on `bench`: a real signal to a real CLI process against its own throwaway redis-server.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { BenchResult } from '../../src/model/results.ts';
import { startRedis, type LocalRedis } from '../redis-helper.ts';
import { tempDir } from '../tmp-helper.ts';
import { smallScenario } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = tempDir('llmcache-interrupt-');
let redis: LocalRedis;
let raw: Redis;
before(async () => {
  redis = await startRedis();
  raw = redis.client();
  await raw.connect();
});
after(async () => {
  raw?.disconnect();
  await redis?.stop();
});

/** Keys of every bench run on our server. */
async function benchKeys(): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await raw.scan(cursor, 'MATCH', 'llmcache:bench:*', 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

/** `llmcache bench` in its own process group (as a shell runs a foreground job). */
function benchProcess(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<{ code: number | null; err: string; atMs: number }> } {
  const script = "import { main } from './src/cli.ts'; process.exitCode = await main(['node', 'llmcache', ...process.argv.slice(1)]);";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'bench', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; err: string; atMs: number }>((resolve) => child.on('exit', (code) => resolve({ code, err, atMs: Date.now() })));
  return { child, stderr: () => err, exited };
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function scenarioFile(): string {
  const s = smallScenario({ leads: 300, days: 5 });
  s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
  return tmp.file(`s${Date.now()}.json`, s);
}

test('Ctrl-C on bench (worker processes, signal to the whole group): stops, removes every key of the run, writes the partial result marked interrupted, exits 130', async () => {
  const out = join(tmp.dir, 'interrupted.json');
  const { child, exited } = benchProcess(['--scenario', scenarioFile(), '--redis-url', redis.url, '--workers', '2', '-c', '4', '-d', '60s', '--trials', '3', '-o', out]);
  try {
    await until('the run writes keys', 60_000, async () => (await benchKeys()) > 200);
    const sentAt = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const r = await exited;
    assert.equal(r.code, 130, r.err);
    assert.ok(r.atMs - sentAt < 15_000, `stopped ${r.atMs - sentAt} ms after the signal`);
    assert.match(r.err, /SIGINT: stopping, removing what the run wrote/);
    assert.equal(await benchKeys(), 0, 'no key of the run is left');
    const res = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    assert.deepEqual(res.interrupted, { signal: 'SIGINT', trialsCompleted: 0, trialsPlanned: 3 });
    assert.equal(res.trials.length, 1);
    assert.equal(res.trials[0]!.interrupted, true);
    assert.ok(res.requests > 0 && res.tiers.find((t) => t.name === 'L2')!.writes! > 0, 'the partial measurement is kept');
    assert.ok(res.warnings.some((w) => /^Interrupted by SIGINT after 0 of 3 trials/.test(w)), res.warnings.join('\n'));
  } finally {
    child.kill('SIGKILL');
  }
});

test('SIGTERM on bench does the same: partial result, no key left, exit 130', async () => {
  const out = join(tmp.dir, 'term.json');
  const { child, exited } = benchProcess(['--scenario', scenarioFile(), '--redis-url', redis.url, '--rate', '300', '-d', '60s', '-o', out]);
  try {
    await until('the run writes keys', 60_000, async () => (await benchKeys()) > 200);
    process.kill(child.pid!, 'SIGTERM');
    const r = await exited;
    assert.equal(r.code, 130, r.err);
    assert.equal(await benchKeys(), 0);
    assert.deepEqual((JSON.parse(readFileSync(out, 'utf8')) as BenchResult).interrupted, { signal: 'SIGTERM', trialsCompleted: 0, trialsPlanned: 1 });
  } finally {
    child.kill('SIGKILL');
  }
});

test('a second Ctrl-C exits at once, even while the first one waits on a stalled Redis', async () => {
  const out = join(tmp.dir, 'twice.json');
  const { child, stderr, exited } = benchProcess(['--scenario', scenarioFile(), '--redis-url', redis.url, '-c', '4', '-d', '60s', '--timeout', '20000', '-o', out]);
  try {
    await until('the run writes keys', 60_000, async () => (await benchKeys()) > 200);
    // Freeze Redis: in-flight commands now wait for their 20 s timeout, and so would the first Ctrl-C.
    redis.proc.kill('SIGSTOP');
    process.kill(child.pid!, 'SIGINT');
    await until('the first signal is acknowledged', 10_000, async () => /SIGINT: stopping/.test(stderr()));
    const sentAt = Date.now();
    process.kill(child.pid!, 'SIGINT');
    const r = await exited;
    assert.equal(r.code, 130);
    assert.ok(r.atMs - sentAt < 2000, `exited ${r.atMs - sentAt} ms after the second signal`);
    assert.match(r.err, /SIGINT again: exiting now/);
    assert.equal(existsSync(out), false, 'no result: it exited before writing one');
  } finally {
    redis.proc.kill('SIGCONT');
    child.kill('SIGKILL');
    // What the abandoned run left (it was told to leave at once); our server, our keys.
    await until('Redis answers again', 10_000, async () => (await raw.ping().catch(() => '')) === 'PONG');
    const [, keys] = await raw.scan('0', 'MATCH', 'llmcache:bench:*', 'COUNT', 100_000);
    if (keys.length > 0) await raw.unlink(...keys);
  }
});
