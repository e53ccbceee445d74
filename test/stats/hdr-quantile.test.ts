import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHistogram, newHistogram, recordUs } from '../../src/histogram.js';
import { histogramQuantiles } from '../../src/stats/hdr-quantile.js';

test('interpolated quantiles resolve below the 1 µs recording step', () => {
  const h = newHistogram();
  for (let i = 0; i < 60; i++) recordUs(h, 22);
  for (let i = 0; i < 40; i++) recordUs(h, 23);
  const [p10, p50, p90] = histogramQuantiles(encodeHistogram(h), [0.1, 0.5, 0.9]);
  // 22 covers [21.5, 22.5) with 60 %, 23 covers [22.5, 23.5) with 40 %.
  assert.ok(Math.abs(p10! - (21.5 + 10 / 60)) < 1e-9, `p10 ${p10}`);
  assert.ok(Math.abs(p50! - (21.5 + 50 / 60)) < 1e-9, `p50 ${p50}`);
  assert.ok(Math.abs(p90! - (22.5 + 30 / 40)) < 1e-9, `p90 ${p90}`);
});

test('a 10 % slower copy of a distribution moves every interpolated quantile by about 10 %', () => {
  const a = newHistogram();
  const b = newHistogram();
  for (let i = 0; i < 5000; i++) {
    const v = 22 + 20 * (i / 5000) ** 3;
    recordUs(a, v);
    recordUs(b, v * 1.1);
  }
  const qa = histogramQuantiles(encodeHistogram(a), [0.05, 0.5]);
  const qb = histogramQuantiles(encodeHistogram(b), [0.05, 0.5]);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(qb[i]! / qa[i]! - 1.1) < 0.015, `q${i}: ${qa[i]} -> ${qb[i]}`);
  assert.ok(Number.isNaN(histogramQuantiles(encodeHistogram(newHistogram()), [0.5])[0]!));
});
