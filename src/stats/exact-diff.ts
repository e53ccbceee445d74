/**
 * Exact comparison of deterministic outputs (hit counts, LLM calls, spend under a fixed seed):
 * every number or boolean leaf of two JSON documents, keyed by a readable path. Arrays of objects
 * that carry a `name` are matched by name (`tiers[L2].hits`), other arrays by index.
 */

import type { ExactComparison, ExactDifference } from '../model/results.js';

/** Number and boolean leaves of `value`, keyed by path; paths for which `skip` is true are left out. */
export function leaves(value: unknown, skip: (path: string) => boolean = () => false): Map<string, number | boolean> {
  const out = new Map<string, number | boolean>();
  const walk = (v: unknown, path: string): void => {
    if (path && skip(path)) return;
    if (typeof v === 'number' || typeof v === 'boolean') {
      out.set(path, v);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const name = item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : String(i);
        walk(item, `${path}[${name}]`);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) walk(item, path ? `${path}.${k}` : k);
    }
  };
  walk(value, '');
  return out;
}

/** Compare every number and boolean leaf of two documents exactly (Object.is, so NaN equals NaN). */
export function exactDifferences(baseline: unknown, current: unknown, skip?: (path: string) => boolean): ExactComparison {
  const a = leaves(baseline, skip);
  const b = leaves(current, skip);
  const paths = new Set([...a.keys(), ...b.keys()]);
  const differences: ExactDifference[] = [];
  for (const path of paths) {
    const x = a.has(path) ? a.get(path)! : null;
    const y = b.has(path) ? b.get(path)! : null;
    if (!Object.is(x, y)) differences.push({ path, baseline: x, current: y });
  }
  return { compared: paths.size, differences };
}
