import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderResult } from '../../src/report/render.js';
import type { Result } from '../../src/model/results.js';

const renderMarkdown = (r: Result) => renderResult(r, 'markdown');
import { benchFixture, simulateFixture } from './fixtures.js';

const HOSTILE_NAME = 'evil <script>alert(1)</script> | `x` & *y*\n## injected heading';
const HOSTILE_OP = '<script>op</script>|pipe`tick`\nnewline';

/** Table rows (lines starting with `|`) and their number of cells, counting only unescaped pipes. */
function cellCounts(md: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | undefined;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.replace(/\\\\/g, '').split(/(?<!\\)\|/).length - 2;
      (current ??= []).push(cells);
    } else if (current) {
      tables.push(current);
      current = undefined;
    }
  }
  if (current) tables.push(current);
  return tables;
}

test('simulate Markdown: headline with the key numbers, then tables', () => {
  const md = renderMarkdown(simulateFixture());
  const [title, , headline] = md.split('\n');
  assert.equal(title, '### llmcache simulate · seed-article');
  assert.match(headline, /^\*\*Hit rate 67\.1%\*\* \(212,000 of 316,000 requests\) · \*\*LLM hit rate 37\.3%\*\*/);
  assert.match(headline, /\*\*Monthly spend \$3,503\*\* \(tiers \+ prompt caching; no caching \$4,853\) · \*\*Savings 27\.8%\*\*/);
  assert.match(headline, /\*\*Stale LLM answers 0\.77%\*\* \(532 of 69,000 answer hits\) · \*\*Stale conversation windows 0\.00%\*\* \(0 of 143,000 memory hits\)/);
  assert.doesNotMatch(headline, /Stale hits/, 'no rate that mixes answers and windows unlabelled');
  assert.match(md, /\| L2 \| redis\/shared \| 248,250 \| 112,000 \| 45\.1% \| 35\.4% \| 152 \| 0 \|/);
  assert.match(md, /\| all \| {2}\| 316,000 \| 212,000 \| 67\.1% \| 67\.1% \| 532 \| {2}\|/, 'the total row the text and HTML tables have too');
  assert.match(md, /<details><summary>Cost \(calls counted in the 30-day window; dollars projected to a 30-day month\)<\/summary>/);
  assert.match(md, /\| Op \| Calls no cache \| Calls cached \| \$\/mo no cache \| \$\/mo cached \|/);
  assert.match(md, /Stale rate = stale hits \/ hits of that key class/);
  assert.match(md, /\| :-- \| :-- \| --: \|/);
});

test('bench Markdown: throughput and latency headline, tier table', () => {
  const md = renderMarkdown(benchFixture());
  assert.match(md, /^### llmcache bench · seed-article\n/);
  assert.match(md, /\*\*Throughput \(req\/s\) 12,346\*\*/);
  assert.match(md, /\| L3 \| pgvector \| 2,000 \| 900 \| 1,100 \| 45\.0% \| 0 \| 0 \| 1,100 \|/);
});

for (const [kind, make] of [
  ['simulate', () => simulateFixture({ name: HOSTILE_NAME, hostileOp: HOSTILE_OP })],
  ['bench', () => benchFixture({ name: HOSTILE_NAME, hostileOp: HOSTILE_OP })],
] as const) {
  test(`${kind} Markdown escapes scenario and op names (<script>, pipes, backticks, newlines)`, () => {
    const md = renderMarkdown(make());
    assert.ok(!md.includes('<script'), 'no raw <script>');
    assert.ok(!md.includes('\n## injected'), 'a newline in a name cannot start a heading');
    assert.match(md, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(md, /&lt;script&gt;op&lt;\/script&gt;\\\|pipe\\`tick\\` newline/);
    for (const table of cellCounts(md)) {
      assert.ok(table.every((n) => n === table[0]), `every row of a table has the same number of cells: ${table}`);
    }
    const html = md.match(/<\/?[a-z]+/g) ?? [];
    assert.ok(html.every((t) => /^<\/?(details|summary)$/.test(t)), `only our own HTML tags: ${html}`);
  });
}
