/**
 * The built CLI (bin/llmcache.js loading the bundle in dist/bundle/, `npm run build`): the code that
 * starts a worker thread or a child process, or reads a shipped file, runs inside a bundle chunk
 * there and finds its target through src/core/layout.ts. Every other test runs the sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-bundle-');

/** `node bin/llmcache.js ...args`; fails the test with its stderr when the exit code is not `code`. */
function cli(args: string[], code = 0): string {
  assert.ok(existsSync('dist/bundle/cli.js'), 'dist/bundle/cli.js is missing: run `npm run build`');
  const r = spawnSync(process.execPath, ['bin/llmcache.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, code, r.stderr);
  return code === 0 ? r.stdout : r.stderr;
}

test('the chunks sit directly in dist/bundle/, one folder below dist/ as src/core/layout.ts assumes', () => {
  const files = readdirSync('dist/bundle', { withFileTypes: true });
  assert.ok(files.some((f) => f.name === 'cli.js'));
  assert.deepEqual(files.filter((f) => f.isDirectory()).map((f) => f.name), []);
});

test('replay over two caches: the second runs on a cache worker thread started from the bundle', () => {
  const trace = tmp.file('keys.txt', 'a\nb\na\nc\nb\na\nd\na\n');
  const r = JSON.parse(cli(['replay', trace, '--cache', 'lru:2,fifo:2', '--json']));
  assert.deepEqual(
    r.results.map((x: { policy: string; misses: number }) => [x.policy, x.misses]),
    [
      ['lru', 6],
      ['fifo', 5],
    ],
  );
});

test('sweep over two points runs them on two worker threads', () => {
  const r = JSON.parse(cli(['sweep', '--scenario', 'scenarios/small.yaml', '--leads', '5', '--days', '1', '--param', 'L1.capacity=10,20', '--threads', '2', '--json']));
  assert.equal(r.threads, 2);
  assert.equal(r.runs.length, 2);
});

test('bench --workers 2 forks its worker processes', () => {
  const scenario = tmp.file('l1.yaml', 'name: l1-only\nworkload: { leads: 5, days: 1 }\nworkers: { count: 2 }\ntiers:\n  - { name: L1, kind: memory, scope: worker, capacity: 100, ttl: { score: 3600 } }\n');
  const out = `${tmp.dir}/bench.json`;
  cli(['bench', '--scenario', scenario, '--workers', '2', '-n', '100', '--json', '-o', out]);
  const r = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(r.mode.workers, 2);
  assert.ok(r.requests >= 100, String(r.requests));
});

test('the price catalog and the explanation of an invalid scenario (config/explain, loaded on error) are found', () => {
  assert.ok(JSON.parse(cli(['prices', '--json'])).length > 0);
  const bad = tmp.file('bad.yaml', 'workload:\n  leeds: 3\n');
  assert.match(cli(['simulate', '--scenario', bad], 2), /workload\.leeds: unknown field \(did you mean leads\?\)/);
});
