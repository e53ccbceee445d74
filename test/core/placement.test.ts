import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import { cpuSplit, pinnedArgv, pinProcess, startRedisServer } from '../../src/core/placement.js';

const affinity = (pid: number) => execFileSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' }).split(':').pop()!.trim();
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

test('pinnedArgv prefixes taskset only when there are CPUs to pin to', () => {
  assert.deepEqual(pinnedArgv(['node', 'x.js'], undefined), ['node', 'x.js']);
  assert.deepEqual(pinnedArgv(['node', 'x.js'], '0'), ['taskset', '-c', '0', 'node', 'x.js']);
});

test('cpuSplit: one CPU for the client, the others for the servers; a Redis started on them runs there and is gone after stop()', { skip: cpuSplit() === undefined && 'needs taskset and 2 CPUs' }, async () => {
  const split = cpuSplit()!;
  assert.match(split.client, /^\d+$/);
  assert.ok(!split.server.split(',').includes(split.client), `server CPUs ${split.server} exclude the client's ${split.client}`);
  const redis = await startRedisServer(split.server);
  const port = Number(new URL(redis.url).port);
  try {
    assert.equal(affinity(redis.pid), split.server);
    const c = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await c.connect();
    assert.equal(await c.set('k', 'v'), 'OK');
    assert.equal(await c.get('k'), 'v');
    c.disconnect();
    // A process moved as a whole: all threads to the client's CPU, then back.
    assert.equal(pinProcess(redis.pid, split.client), true);
    assert.equal(affinity(redis.pid), split.client);
  } finally {
    await redis.stop();
  }
  assert.equal(await refused(port), true, 'stopped: nothing listens on its port');
});
