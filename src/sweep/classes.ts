/**
 * Per-key-class figures of a run for the sweep table (`--by-class`): how much of a class's LLM
 * work the cache saved, its stale rate and the age of what it served. A class that a scenario
 * splits into components (`componentOf`) is the sum of its components.
 */
import type { Scenario } from '../config.js';
import type { ClassStats, SimulateResult } from '../model/results.js';

/** The ops that make up `cls` in a scenario: the op and every op declared `componentOf` it. */
export function classOps(s: Scenario, cls: string): string[] {
  return Object.entries(s.ops)
    .filter(([name, o]) => name === cls || o.componentOf === cls)
    .map(([name]) => name);
}

export function classStats(r: SimulateResult, ops: string[]): ClassStats {
  let base = 0;
  let paid = 0;
  let hits = 0;
  let stale = 0;
  const served: string[] = [];
  for (const op of ops) {
    const c = r.cost.byOp[op];
    if (c) {
      base += c.baselineMonthlyUsd;
      paid += c.monthlyUsd;
    }
    const st = r.staleness.byOp[op];
    if (st && st.hits > 0) {
      hits += st.hits;
      stale += st.staleHits;
      served.push(op);
    }
  }
  const out: ClassStats = { ops, workSaved: base > 0 ? 1 - paid / base : 0, hits, staleRate: hits > 0 ? stale / hits : 0 };
  if (served.length === 1) out.ageMs = r.staleness.byOp[served[0]!]!.ageMs;
  return out;
}
