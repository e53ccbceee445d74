/**
 * The machinery of `npm run docs:figures` (the figures themselves are checked by
 * `npm run docs:figures:check` in `.ci/run`: it re-runs every fixed-seed simulation, ~1 min of CPU).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findSections, rewriteSections, documents, SECTIONS } from '../../scripts/docs-figures.ts';

const doc = 'intro\n<!-- figures:a -->\nold a\n<!-- /figures -->\nmiddle\n<!-- figures:b -->\nb\n<!-- /figures -->\nend\n';

test('a marked section is rewritten in place and reported stale only when its text changes', () => {
  const r = rewriteSections(doc, { a: 'new a\n', b: 'b\n' });
  assert.equal(r.text, doc.replace('old a', 'new a'));
  assert.deepEqual(r.stale, ['a']);
  const again = rewriteSections(r.text, { a: 'new a\n', b: 'b\n' });
  assert.equal(again.text, r.text);
  assert.deepEqual(again.stale, []);
});

test('an unknown section name or a marker without its closing pair is an error, not a silent skip', () => {
  assert.throws(() => rewriteSections(doc, { a: 'x' }), /unknown figures section "b"/);
  assert.throws(() => findSections('<!-- figures:a -->\nno end\n<!-- figures:b -->\nx\n<!-- /figures -->\n', 'F.md'), /F\.md: <!-- figures:a --> has no closing/);
});

test('every section quoted in README.md and docs/*.md has a generator, and every generator is quoted', () => {
  const used = new Set(documents('.').flatMap((f) => findSections(readFileSync(f, 'utf8'), f).map((s) => s.name)));
  assert.deepEqual([...used].sort(), Object.keys(SECTIONS).sort());
});
