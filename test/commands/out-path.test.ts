/**
 * `--out` is checked before any work: an existing file without --force, a missing directory or one
 * that cannot be written ends the run at once (exit 2), not after every trial has been measured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-out-');
const existing = tmp.file('existing.json', '{"keep":true}');
const missingDir = join(tmp.dir, 'no', 'such', 'dir', 'r.json');
const aFile = join(existing, 'r.json');

/** Commands that write a result, with the flags that would make them run for a long time. */
const LONG_RUNS: [string, string[]][] = [
  ['bench', ['bench', '--l2', 'memory', '--trials', '3', '-d', '10s']],
  ['sweep', ['sweep', '--scenario', 'scenarios/seed-article.yaml', '--param', 'L1.capacity=100,1000,10000']],
  ['simulate', ['simulate', '--scenario', 'scenarios/seed-article.yaml']],
];

test('an existing --out without --force, a missing directory, a file as directory: refused before any work', async () => {
  for (const [name, args] of LONG_RUNS) {
    for (const [out, pattern] of [
      [existing, /existing\.json already exists; choose another --out or pass --force/],
      [missingDir, /directory .*no\/such\/dir does not exist; create it \(mkdir -p .*\) or choose another --out/],
      [aFile, /existing\.json is not a directory; choose another --out/],
      [tmp.dir, /is a directory; give a file name such as/],
    ] as const) {
      const t0 = performance.now();
      const r = await runCli([...args, '--out', out]);
      const ms = performance.now() - t0;
      assert.equal(r.code, 2, `${name} ${out}: ${r.err}`);
      assert.match(r.err, new RegExp(`^llmcache ${name}: `));
      assert.match(r.err, pattern);
      // Nothing ran: no progress (PGlite start, trials, configurations), no output, and the file is intact.
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.equal(r.out, '');
      assert.ok(ms < 5000, `${name} took ${ms} ms before refusing`);
    }
  }
  assert.equal(readFileSync(existing, 'utf8'), '{"keep":true}');
});

test('a directory that cannot be written is refused before any work', () => {
  chmodSync(tmp.dir, 0o755);
  const ro = join(tmp.dir, 'read-only');
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  // root may write anywhere: run the CLI without the capabilities that let it (setpriv, util-linux),
  // so the permission is really checked. It stays root, so a checkout in a folder only root may
  // enter (a clone under /root, a 0700 temp folder) still loads; without setpriv, run as nobody.
  const asRoot = process.getuid?.() === 0;
  const setpriv = asRoot && spawnSync('setpriv', ['--version']).status === 0;
  const cli = `const { main } = await import(${JSON.stringify(resolve('src/cli.ts'))}); process.exitCode = await main(['node', 'llmcache', ...process.argv.slice(1)]);`;
  for (const args of [['sweep', '--scenario', 'scenarios/seed-article.yaml', '--param', 'L1.capacity=100,1000'], ['simulate']]) {
    const argv = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', cli, '--', ...args, '--out', join(ro, 'r.json')];
    const [cmd, ...rest] = setpriv ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', ...argv] : argv;
    const r = spawnSync(cmd!, rest, {
      encoding: 'utf8',
      timeout: 60_000,
      ...(asRoot && !setpriv && { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmp.dir } }),
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^llmcache (sweep|simulate): --out .*read-only\/r\.json: cannot write in .*read-only \(EACCES\); choose another --out\n$/);
  }
});
