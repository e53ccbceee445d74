import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hodgesLehmannShift, median, ratioOfMediansChange } from '../../src/stats/effect.js';

test('median of odd, even and empty samples', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('ratio of medians − 1 is the relative slowdown and ignores one wild trial', () => {
  const base = [100, 101, 99, 100, 100];
  const cur = [110, 111, 109, 110, 5000];
  assert.ok(Math.abs(ratioOfMediansChange(base, cur) - 0.1) < 1e-12);
  assert.equal(ratioOfMediansChange([0, 0], [0, 0]), 0);
  assert.equal(ratioOfMediansChange([0, 0], [1, 1]), Infinity);
});

test('Hodges-Lehmann shift recovers a constant shift', () => {
  assert.equal(hodgesLehmannShift([10, 20, 30], [15, 25, 35]), 5);
  assert.equal(hodgesLehmannShift([1, 2, 3, 4], [1, 2, 3, 4]), 0);
});
