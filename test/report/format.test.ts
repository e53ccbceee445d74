import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeHtml,
  escapeMarkdown,
  fmtDuration,
  fmtInt,
  fmtLatency,
  fmtPct,
  fmtUs,
  fmtUsd,
  oneLine,
  textTable,
  wrap,
} from '../../src/report/format.js';

test('numbers, percents, USD and latencies are formatted without locale surprises', () => {
  assert.equal(fmtInt(1234567.4), '1,234,567');
  assert.equal(fmtInt(-1234), '-1,234');
  assert.equal(fmtInt(Number.NaN), 'n/a');
  assert.equal(fmtPct(0.7421), '74.2%');
  assert.equal(fmtPct(0.0205, 2), '2.05%');
  const cases: [(v: number) => string, number, string][] = [
    [fmtUsd, 12_345.4, '$12,345'],
    [fmtUsd, 747, '$747'],
    [fmtUsd, 12, '$12.00'],
    [fmtUsd, 0.0042, '$0.0042'],
    [fmtLatency, 0.0523, '0.0523'],
    [fmtLatency, 1.234, '1.23'],
    [fmtLatency, 42.37, '42.4'],
    [fmtLatency, 1234.5, '1,235'],
    [fmtUs, 680, '680 µs'],
    [fmtUs, 13_775, '13.8 ms'],
    [fmtDuration, 95_000, '1.6 min'],
    [fmtDuration, 3_600_000, '1.0 h'],
  ];
  for (const [fmt, v, want] of cases) assert.equal(fmt(v), want, `${fmt.name}(${v})`);
});

test('HTML escaping covers the five specials', () => {
  assert.equal(escapeHtml(`<script>alert("x" & 'y')</script>`), '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
});

test('Markdown escaping neutralises pipes, HTML, backticks, emphasis and newlines', () => {
  const s = escapeMarkdown('a|b <script> `code` *x* _y_ [l](u) ~z~\nnext & more');
  assert.ok(!s.includes('<') && !s.includes('>'), s);
  assert.ok(!/(^|[^\\])[|`*_[\]~]/.test(s), `unescaped punctuation in ${s}`);
  assert.ok(!s.includes('\n'));
  assert.match(s, /&lt;script&gt;/);
  assert.match(s, /&amp; more/);
});

test('text tables carry no colour codes and no control characters from untrusted names', () => {
  const t = textTable(['Name', 'N'], [['evil\u001b[31mred\nline', '1']]);
  assert.ok(!t.includes('\u001b'), 'no ANSI escape');
  assert.equal(t.split('\n').length, 5, 'one header line, one row line, three borders');
  assert.equal(oneLine('a\r\nb'), 'a b');
});

test('wrap keeps lines within the width', () => {
  const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  const lines = wrap(text, 40, '  ').split('\n');
  assert.ok(lines.length > 5);
  for (const l of lines) assert.ok(l.length <= 40, l);
  assert.ok(lines[1].startsWith('  '));
});
