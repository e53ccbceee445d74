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

test('report renders the JSON of every result kind in every format', { timeout: 120_000 }, async () => {
  const { allKinds } = await import('./kinds.js');
  const heads: Record<string, RegExp> = {
    simulate: /^llmcache simulate · /,
    bench: /^llmcache bench · /,
    benchMicro: /^llmcache bench --micro · /,
    sweep: /^llmcache sweep · semantic\n/,
    replay: /^llmcache replay · zipf\.txt\n/,
    mrc: /^llmcache mrc · zipf\.txt\n/,
    gate: /^llmcache gate · article: FAIL\n/,
    traceStats: /^llmcache trace stats · generated\.jsonl\n/,
  };
  const svgs: Record<string, string> = { sweep: 'pareto-stale', replay: 'miss-ratio-curves', mrc: 'miss-ratio-curves', traceStats: 'reuse-distance', simulate: 'latency-plot' };
  for (const [kind, result] of Object.entries(await allKinds())) {
    const f = file(`${kind}.json`, result);
    const t = await run(['report', f]);
    assert.equal(t.code, 0, `${kind}: ${t.err}`);
    assert.match(t.out, heads[kind]!, kind);
    const md = await run(['report', f, '-f', 'markdown']);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^### /);
    const html = await run(['report', f, '-f', 'html']);
    assert.equal(html.code, 0, html.err);
    assert.match(html.out, /^<!DOCTYPE html>/);
    if (svgs[kind]) assert.match(html.out, new RegExp(`<svg id="${svgs[kind]}"`), `${kind} draws its picture`);
    assert.deepEqual(JSON.parse((await run(['report', f, '-f', 'json'])).out), JSON.parse(JSON.stringify(result)));
  }
});
