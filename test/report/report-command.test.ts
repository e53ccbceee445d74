import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';
import { benchFixture, simulateFixture } from './fixtures.js';

const { dir, file } = tempDir('llmcache-report-');

const run = runCli;

const sim = file('sim.json', simulateFixture());
const bench = file('bench.json', benchFixture());

test('report prints a table by default and each format on request', async () => {
  const t = await run(['report', sim]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^llmcache simulate · seed-article\n/);
  const md = await run(['report', bench, '--format', 'markdown']);
  assert.equal(md.code, 0, md.err);
  assert.match(md.out, /^### llmcache bench · seed-article/);
  const json = await run(['report', sim, '-f', 'json']);
  assert.deepEqual(JSON.parse(json.out), simulateFixture());
});

test('-o writes the report atomically and refuses to overwrite without --force', async () => {
  const out = join(dir, 'out', 'report.html');
  const first = await run(['report', sim, '--format', 'html', '-o', out]);
  assert.equal(first.code, 0, first.err);
  assert.equal(first.out, '', 'nothing on stdout');
  assert.match(readFileSync(out, 'utf8'), /<svg id="latency-plot"/);
  const again = await run(['report', bench, '--format', 'html', '-o', out]);
  assert.equal(again.code, 2);
  assert.match(again.err, /already exists/);
  assert.match(readFileSync(out, 'utf8'), /Cache simulation/, 'the first report is untouched');
  const forced = await run(['report', bench, '--format', 'html', '-o', out, '--force']);
  assert.equal(forced.code, 0, forced.err);
  assert.match(readFileSync(out, 'utf8'), /Benchmark: seed-article/);
  assert.deepEqual(readdirSync(join(dir, 'out')), ['report.html'], 'no temp file left behind');
});

test('bad input exits 2 with a clear message', async () => {
  const cases: [string[], RegExp][] = [
    [['report', join(dir, 'missing.json')], /missing\.json: cannot read the result file \(ENOENT\)/],
    [['report', file('bad.json', '{"schema": ')], /bad\.json is not valid JSON/],
    [['report', file('other.json', { schema: 'something/else@1', kind: 'simulate' })], /other\.json is a "something\/else@1" document/],
    [['report', file('partial.json', { ...simulateFixture(), tiers: undefined })], /tiers: expected array, got nothing/],
    [['report', sim, '--format', 'pdf'], /argument 'pdf' is invalid/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')} -> exit 2`);
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});
