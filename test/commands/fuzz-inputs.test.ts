/**
 * Every command fed malformed and empty inputs (scenario, trace, result files; random bytes, random
 * text, broken JSON/YAML/JSONL): exit 2, one message on stderr that starts with the command (a
 * scenario's problem list may follow it as "  - path: …" lines), no stack trace, nothing on stdout,
 * and nothing written — neither --out nor a default results/ file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-fuzz-');
const outDir = join(tmp.dir, 'out');
mkdirSync(outDir);
const out = join(outDir, 'result.json');

/** Where each command takes the fuzzed file, and what else it needs. */
const COMMANDS: [string, (f: string) => string[]][] = [
  ['simulate', (f) => ['simulate', '--scenario', f, '--out', out]],
  ['simulate', (f) => ['simulate', '--scenario', 'scenarios/small.yaml', '--trace', f, '--out', out]],
  ['bench', (f) => ['bench', '--scenario', f, '--l2', 'memory', '-n', '10', '--out', out]],
  ['sweep', (f) => ['sweep', '--scenario', f, '--param', 'L1.capacity=10,20', '--out', out]],
  ['gate', (f) => ['gate', '--baseline', f, '--current', f]],
  ['report', (f) => ['report', f, '--format', 'markdown', '--out', out]],
  ['trace generate', (f) => ['trace', 'generate', '--scenario', f, '-o', join(outDir, 't.jsonl')]],
  ['trace stats', (f) => ['trace', 'stats', f]],
  ['replay', (f) => ['replay', f, '--out', out]],
  ['mrc', (f) => ['mrc', f, '--out', out]],
];

const resultsBefore = existsSync('results') ? readdirSync('results').length : 0;

/** replay and mrc read any text as one key a line: text that is not JSON is a valid trace for them. */
const KEY_TRACE_READERS = new Set(['replay', 'mrc']);

async function refused(name: string, args: string[], what: string, validAsKeys = false): Promise<void> {
  const r = await runCli(args);
  const label = `${args.join(' ')} <- ${what}: ${JSON.stringify(r.err)}`;
  if (validAsKeys && KEY_TRACE_READERS.has(name) && r.code === 0) {
    assert.deepEqual(readdirSync(outDir), ['result.json'], label);
    rmSync(out);
    return;
  }
  assert.equal(r.code, 2, label);
  assert.equal(r.out, '', label);
  const lines = r.err.trimEnd().split('\n');
  assert.ok(lines[0]!.startsWith(`llmcache ${name}: `), label);
  assert.ok(lines.slice(1).every((l) => /^ {2}(- |… )/.test(l)), `more than one message: ${label}`);
  assert.doesNotMatch(r.err, /\n\s+at |internal error|Error: /, `stack trace: ${label}`);
  assert.doesNotMatch(r.err, /[\u0000-\u0008\u000b-\u001f\ufffd]/, `raw bytes: ${label}`);
  assert.deepEqual(readdirSync(outDir), [], `something written: ${label}`);
}

let n = 0;
function file(content: string | Uint8Array, extension: string): string {
  const p = join(tmp.dir, `in-${n++}${extension}`);
  writeFileSync(p, content);
  return p;
}

/** [what, content, whether it is a valid one-key-a-line trace for replay and mrc]. */
const FIXED: [string, string | Uint8Array, boolean][] = [
  ['empty', '', false],
  ['blank lines', '\n \n\t\n', false],
  ['a NUL byte', '\u0000', false],
  ['broken JSON', '{"schema": "llmcache/simulate@1", "kind": ', false],
  ['JSON null', 'null', true],
  ['JSON array', '[1, 2, 3]', false],
  ['a YAML scalar', 'just some words', true],
  ['YAML with a tab indent', 'workload:\n\tleads: 3\n', true],
  ['deep nesting', '['.repeat(10_000), false],
  ['invalid UTF-8', new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x80]), false],
];

for (const [name, args] of COMMANDS) {
  test(`${name} ${args('F').includes('--trace') ? '--trace ' : ''}refuses empty and malformed files cleanly`, { timeout: 120_000 }, async () => {
    for (const [what, content, keys] of FIXED) {
      for (const extension of ['.yaml', '.json', '.jsonl']) await refused(name, args(file(content, extension)), `${what} (${extension})`, keys);
    }
    await refused(name, args(join(tmp.dir, 'does-not-exist.yaml')), 'a missing file');
    await refused(name, args(tmp.dir), 'a directory');
  });
}

test('random bytes and random text as every command\'s input: always a clean refusal', { timeout: 300_000 }, async () => {
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ maxLength: 200 }).map((s) => `{${s}`),
    fc.string({ unit: 'binary', maxLength: 200 }),
    // `{}` is the default scenario (every field has a default), a valid input: left out.
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null').filter((s) => s !== '{}'),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...COMMANDS), input, fc.constantFrom('.yaml', '.json', '.jsonl'), async ([name, args], content, extension) => {
      await refused(name, args(file(content, extension)), `random input ${JSON.stringify(typeof content === 'string' ? content.slice(0, 60) : [...content.slice(0, 20)])}`, true);
    }),
    { numRuns: 150, seed: 20261201 },
  );
});

test('no default result file appeared under results/', () => {
  assert.equal(existsSync('results') ? readdirSync('results').length : 0, resultsBefore);
});
