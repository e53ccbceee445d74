import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, createGzip } from 'node:zlib';
import { InputError } from '../../src/errors.js';
import { writeFileAtomic, writeStreamAtomic } from '../../src/io/write.js';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-write-');
let n = 0;
/** A fresh directory name inside the test's temp dir (the writer creates it). */
function freshDir(): string {
  return join(tmp.dir, `d${n++}`);
}

test('writeFileAtomic writes text, bytes or pieces; refuses an existing file without overwrite; leaves no temporary file', () => {
  const dir = freshDir();
  const file = join(dir, 'r.json');
  writeFileAtomic(file, '{"a":1}\n');
  assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n');
  assert.throws(() => writeFileAtomic(file, 'x'), (e) => e instanceof InputError && e.message === `${file} already exists; choose another --out or pass --force to replace it`);
  assert.throws(() => writeFileAtomic(file, 'x', { flag: '-o' }), /choose another -o or pass --force/);
  writeFileAtomic(file, [Buffer.from('ab'), Buffer.from('cd')], { overwrite: true });
  assert.equal(readFileSync(file, 'utf8'), 'abcd');
  assert.deepEqual(readdirSync(dir), ['r.json']);
});

test('a write that fails part-way keeps the old file whole and leaves no temporary file', () => {
  const dir = freshDir();
  const file = join(dir, 'r.json');
  writeFileAtomic(file, 'old');
  function* failing(): Generator<Uint8Array> {
    yield Buffer.from('new, part');
    throw new Error('source broke');
  }
  assert.throws(() => writeFileAtomic(file, failing(), { overwrite: true }), /source broke/);
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['r.json']);
});

test('writeStreamAtomic streams through a transform; a failing source leaves neither the file nor a temporary file', async () => {
  const dir = freshDir();
  const file = join(dir, 't.jsonl.gz');
  async function* lines() {
    for (let i = 0; i < 1000; i++) yield Buffer.from(`{"i":${i}}\n`);
  }
  await writeStreamAtomic(file, lines(), { transform: createGzip() });
  const text = gunzipSync(readFileSync(file)).toString();
  assert.equal(text.split('\n').length, 1001);
  await assert.rejects(writeStreamAtomic(file, lines()), /already exists/);
  const broken = join(dir, 'broken.jsonl');
  async function* failing() {
    yield Buffer.from('{"i":0}\n');
    throw new Error('source broke');
  }
  await assert.rejects(writeStreamAtomic(broken, failing()), /source broke/);
  assert.deepEqual(readdirSync(dir), ['t.jsonl.gz']);
});

/** Run `body` (TypeScript, with writeFileAtomic / writeStreamAtomic / file in scope) in a child process. */
function child(body: string, file: string) {
  const script = `import { writeFileAtomic, writeStreamAtomic } from ${JSON.stringify(new URL('../../src/io/write.ts', import.meta.url).pathname)};
const file = ${JSON.stringify(file)};
${body}`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

test('Ctrl-C during a streamed write: the process ends by the signal and leaves neither the file nor a temporary file', () => {
  const dir = freshDir();
  const file = join(dir, 'big.jsonl');
  const r = child(
    `async function* lines() {
      for (let i = 0; ; i++) {
        if (i === 10) process.kill(process.pid, 'SIGINT');
        await new Promise((ok) => setTimeout(ok, 5));
        yield Buffer.from('line ' + i + '\\n');
      }
    }
    await writeStreamAtomic(file, lines());
    console.log('not interrupted');`,
    file,
  );
  assert.equal(r.signal, 'SIGINT', `exit ${r.status}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.deepEqual(readdirSync(dir), []);
});

test('Ctrl-C during a synchronous write: the write finishes first (the whole file), then the signal ends the process', () => {
  const dir = freshDir();
  const file = join(dir, 'r.bin');
  const r = child(
    `function* pieces() {
      for (let i = 0; i < 100; i++) {
        if (i === 1) process.kill(process.pid, 'SIGINT');
        yield Buffer.alloc(1000, i);
      }
    }
    writeFileAtomic(file, pieces());
    await new Promise((ok) => setTimeout(ok, 5000));
    console.log('not interrupted');`,
    file,
  );
  assert.equal(r.signal, 'SIGINT', `exit ${r.status}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.deepEqual(readdirSync(dir), ['r.bin']);
  assert.equal(readFileSync(file).length, 100_000);
});
