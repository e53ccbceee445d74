/** bin/llmcache.js in a checkout that was never built, or whose dependencies are missing: one sentence, exit 2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-bin-');

/** A copy of bin/llmcache.js in `root`/bin, run with `args`. */
function runCopy(root: string, ...args: string[]) {
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync('bin/llmcache.js', join(root, 'bin', 'llmcache.js'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  return spawnSync(process.execPath, [join(root, 'bin', 'llmcache.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('without dist/: one sentence saying to build, exit 2, no stack trace', () => {
  const root = join(tmp.dir, 'unbuilt');
  const r = runCopy(root, 'simulate');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `llmcache: not built (no dist/cli.js in ${root}/); run \`npm run build\` there (or \`npm ci\`, which builds it)\n`);
});

test('a missing dependency: one sentence naming the package and npm ci, exit 2', () => {
  const root = join(tmp.dir, 'no-deps');
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', 'cli.js'), "import 'commander-not-installed-here';\nexport async function main() { return 0; }\n");
  const r = runCopy(root, 'simulate');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `llmcache: a dependency is not installed (package commander-not-installed-here); run \`npm ci\` in ${root}/\n`);
});

test('a built checkout runs', () => {
  const root = join(tmp.dir, 'built');
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', 'cli.js'), "export async function main(argv) { process.stdout.write(argv.slice(2).join(' ') + '\\n'); return 3; }\n");
  const r = runCopy(root, 'prices', '--json');
  assert.equal(r.stdout, 'prices --json\n');
  assert.equal(r.status, 3);
});
