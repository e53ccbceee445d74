import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRedisTarget, redisCleanupCommand, redisPrefix, splitSeeds } from '../../src/tiers/redis-url.ts';
import { InputError } from '../../src/errors.ts';

test('redis target: a single URL with credentials, TLS and a database; the label hides the password', () => {
  const t = parseRedisTarget('rediss://app:p%40ss@127.0.0.1:6380/2');
  assert.deepEqual(
    { ...t, label: undefined },
    { cluster: false, nodes: [{ host: '127.0.0.1', port: 6380 }], username: 'app', password: 'p@ss', tls: true, db: 2, label: undefined },
  );
  assert.equal(t.label, 'Redis at rediss://app:***@127.0.0.1:6380/2');
  assert.equal(parseRedisTarget('redis://[::1]').nodes[0]!.host, '::1');
  assert.equal(parseRedisTarget('redis://localhost').nodes[0]!.port, 6379);
});

test('redis target: cluster seeds as host:port or URLs, one scheme and one set of credentials', () => {
  const seeds = splitSeeds(' redis://:pw@127.0.0.1:7000, redis://:pw@127.0.0.1:7001 ,');
  const t = parseRedisTarget('', seeds);
  assert.equal(t.cluster, true);
  assert.deepEqual(t.nodes, [
    { host: '127.0.0.1', port: 7000 },
    { host: '127.0.0.1', port: 7001 },
  ]);
  assert.equal(t.password, 'pw');
  assert.equal(t.tls, false);
  assert.ok(!t.label.includes('pw@'), t.label);
  assert.deepEqual(parseRedisTarget('', ['127.0.0.1:7000', 'localhost']).nodes, [
    { host: '127.0.0.1', port: 7000 },
    { host: 'localhost', port: 6379 },
  ]);
  assert.equal(parseRedisTarget('', ['rediss://127.0.0.1:7000']).tls, true);
  for (const bad of [['redis://:a@127.0.0.1:1', 'redis://:b@127.0.0.1:2'], ['redis://127.0.0.1:1', 'rediss://127.0.0.1:2'], ['http://127.0.0.1:1'], ['redis://127.0.0.1:1/3']]) {
    assert.throws(
      () => parseRedisTarget('', bad),
      (e: Error) => e instanceof InputError && e.message.startsWith('--redis-cluster:') && !/:a@|:b@/.test(e.message),
      bad.join(','),
    );
  }
  assert.throws(() => parseRedisTarget('notaurl'), (e: Error) => e instanceof InputError && /--redis-url: expected redis:\/\//.test(e.message));
});

test('redis clean-up command: every node, -c in a cluster, TLS and user flags, never the password', () => {
  const cluster = parseRedisTarget('', ['rediss://ops:secret@127.0.0.1:7000', 'rediss://ops:secret@127.0.0.1:7001']);
  const cmd = redisCleanupCommand(cluster, redisPrefix('r1t1', 'L2'), [...cluster.nodes, { host: '127.0.0.1', port: 7000 }], '/etc/ca.pem');
  assert.equal(
    cmd,
    "redis-cli -c --tls --cacert /etc/ca.pem --user ops -h 127.0.0.1 -p 7000 --scan --pattern 'llmcache:bench:r1t1:L2:*' | xargs -r -n 1 redis-cli -c --tls --cacert /etc/ca.pem --user ops -h 127.0.0.1 -p 7000 unlink; " +
      "redis-cli -c --tls --cacert /etc/ca.pem --user ops -h 127.0.0.1 -p 7001 --scan --pattern 'llmcache:bench:r1t1:L2:*' | xargs -r -n 1 redis-cli -c --tls --cacert /etc/ca.pem --user ops -h 127.0.0.1 -p 7001 unlink" +
      ' (with REDISCLI_AUTH set to the password)',
  );
  assert.ok(!cmd.includes('secret'));
  const single = redisCleanupCommand(parseRedisTarget('redis://127.0.0.1:6390/1'), 'llmcache:bench:x:L2:');
  assert.equal(single, "redis-cli -n 1 -h 127.0.0.1 -p 6390 --scan --pattern 'llmcache:bench:x:L2:*' | xargs -r -n 1 redis-cli -n 1 -h 127.0.0.1 -p 6390 unlink");
});
