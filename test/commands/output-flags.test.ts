/**
 * The output flags are one group (addOutputFlags in src/commands/options.ts): every command that
 * produces a result takes --json, -o/--out and --force, with the same meaning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-output-flags-');

/** A command's help, its wrapped lines joined by single spaces. */
async function help(cmd: string[]): Promise<string> {
  const r = await runCli([...cmd, '--help']);
  assert.equal(r.code, 0, r.err);
  return r.out.replace(/\s+/g, ' ');
}

test('every command that produces a result lists --json, -o/--out and --force in its help', async () => {
  for (const cmd of [['simulate'], ['bench'], ['sweep'], ['replay'], ['mrc'], ['trace', 'stats']]) {
    const r = await help(cmd);
    assert.match(r, / --json print one JSON object on stdout instead of tables /, cmd.join(' '));
    assert.match(r, / -o, --out <file> (also )?write the JSON result /, cmd.join(' '));
    assert.match(r, / --force replace --out if it exists /, cmd.join(' '));
  }
  // Commands whose output is only a file: -o/--out and --force, without --json.
  for (const cmd of [['report'], ['trace', 'generate'], ['trace', 'import']]) {
    const r = await help(cmd);
    assert.match(r, / -o, --out <file> \S/, cmd.join(' '));
    assert.match(r, / --force replace /, cmd.join(' '));
    assert.doesNotMatch(r, /--json/, cmd.join(' '));
  }
});

test('trace stats --out writes what --json prints; an existing --out needs --force', async () => {
  const trace = join(tmp.dir, 't.jsonl');
  const gen = await runCli(['trace', 'generate', '--scenario', 'scenarios/small.yaml', '--leads', '3', '--days', '1', '-o', trace]);
  assert.equal(gen.code, 0, gen.err);
  const out = join(tmp.dir, 'stats.json');
  const json = await runCli(['trace', 'stats', trace, '--json']);
  assert.equal(json.code, 0, json.err);
  const written = await runCli(['trace', 'stats', trace, '--out', out]);
  assert.equal(written.code, 0, written.err);
  assert.equal(readFileSync(out, 'utf8'), json.out);
  assert.match(written.out, /reuse/i, 'without --json the table is printed');
  const again = await runCli(['trace', 'stats', trace, '--out', out]);
  assert.equal(again.code, 2);
  assert.match(again.err, /stats\.json already exists; choose another --out or pass --force/);
  assert.equal((await runCli(['trace', 'stats', trace, '--out', out, '--force'])).code, 0);
});
