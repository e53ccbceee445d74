import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../net-helper.js';
import { runCli } from '../cli-helper.js';

test('bench with Redis down: exit 2, one sentence with the redacted URL and how to start Redis', async () => {
  const port = await freePort();
  const r = await runCli(['bench', '--redis-url', `redis://alice:s3cret@127.0.0.1:${port}`, '-n', '50', '--timeout', '300']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.doesNotMatch(r.err, /s3cret/);
  assert.match(r.err, new RegExp(`redis://alice:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
  assert.match(r.err, /redis-server --daemonize yes/);
  assert.match(r.err, /--l2 memory/);
  assert.doesNotMatch(r.err, /PGlite/, 'fails before starting the embedded Postgres');
});

test('bench refuses a non-loopback backend without --allow-remote', async () => {
  const r = await runCli(['bench', '--redis-url', 'redis://user:pw@10.1.2.3:6379', '-n', '10']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--allow-remote/);
  assert.doesNotMatch(r.err, /:pw@/);
});
