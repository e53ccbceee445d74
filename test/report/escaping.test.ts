/**
 * Warnings and cost assumptions carry op and model names from the scenario or the trace: both go
 * through the list block of a view, and each serializer must escape them (HTML entities; Markdown
 * entities and backslashes; one line in a terminal).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderResult } from '../../src/report/render.js';
import { benchFixture, simulateFixture } from './fixtures.js';

const HOSTILE_MODEL = 'evil-model<img src=x onerror=alert(1)>|`x`*y*';
const HOSTILE_OP = 'op<script>alert(2)</script>\n## heading';

function hostile() {
  const sim = simulateFixture();
  sim.cost.assumptions = [`${HOSTILE_MODEL}: $15/1M input tokens`, `tokens per call: ${HOSTILE_OP} 2000 in`];
  const bench = benchFixture();
  bench.warnings = [`op ${HOSTILE_OP} uses model ${HOSTILE_MODEL}, not in the price catalog`];
  return { sim, bench };
}

test('HTML: cost assumptions and warnings are escaped text, not markup', () => {
  const { sim, bench } = hostile();
  const simHtml = renderResult(sim, 'html');
  const benchHtml = renderResult(bench, 'html');
  for (const html of [simHtml, benchHtml]) {
    assert.ok(!/<img|<script/i.test(html), 'no element came from a name');
  }
  assert.ok(simHtml.includes('<li>evil-model&lt;img src=x onerror=alert(1)&gt;|`x`*y*: $15/1M input tokens</li>'), 'assumption escaped');
  assert.ok(simHtml.includes('<li>tokens per call: op&lt;script&gt;alert(2)&lt;/script&gt;\n## heading 2000 in</li>'), 'op name in an assumption escaped');
  assert.ok(benchHtml.includes('<li>op op&lt;script&gt;alert(2)&lt;/script&gt;\n## heading uses model evil-model&lt;img src=x onerror=alert(1)&gt;'), 'warning escaped');
});

test('Markdown: cost assumptions and warnings cannot open a tag, a table cell or a heading', () => {
  const { sim, bench } = hostile();
  const simMd = renderResult(sim, 'markdown');
  const benchMd = renderResult(bench, 'markdown');
  for (const md of [simMd, benchMd]) {
    assert.ok(!/<img|<script/i.test(md), 'no raw tag');
    assert.ok(!md.includes('\n## heading'), 'a newline in a name cannot start a heading');
  }
  assert.ok(simMd.includes('- evil-model&lt;img src=x onerror=alert(1)&gt;\\|\\`x\\`\\*y\\*: $15/1M input tokens'), 'assumption escaped');
  assert.ok(simMd.includes('- tokens per call: op&lt;script&gt;alert(2)&lt;/script&gt; \\#\\# heading 2000 in'), 'op name escaped, on one line');
  assert.ok(benchMd.includes('- op op&lt;script&gt;alert(2)&lt;/script&gt; \\#\\# heading uses model evil-model&lt;img'), 'warning escaped');
});

test('text: a name in an assumption or a warning stays on its line', () => {
  const { sim, bench } = hostile();
  assert.ok(renderResult(sim, 'table').includes('  - tokens per call: op<script>alert(2)</script> ## heading 2000 in'));
  assert.ok(renderResult(bench, 'table').includes('  - op op<script>alert(2)</script> ## heading uses model'));
});
