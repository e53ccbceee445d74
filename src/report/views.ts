/**
 * The one dispatch from a result to its view: a switch on the schema that names the kind, ending
 * in `assertNever`, so a kind added to `Result` without a view here does not compile.
 */
import {
  assertNever,
  BENCH_MICRO_SCHEMA,
  BENCH_SCHEMA,
  GATE_SCHEMA,
  MRC_SCHEMA,
  REPLAY_SCHEMA,
  SIMULATE_SCHEMA,
  SWEEP_SCHEMA,
  TRACE_STATS_SCHEMA,
  type Result,
} from '../model/results.js';
import type { View } from './view.js';
import { benchMicroView } from './views/bench-micro.js';
import { benchView } from './views/bench.js';
import { gateView } from './views/gate.js';
import { mrcView } from './views/mrc.js';
import { replayView } from './views/replay.js';
import { simulateView } from './views/simulate.js';
import { sweepView } from './views/sweep.js';
import { traceStatsView } from './views/trace-stats.js';

/** The view of any result. */
export function viewOf(r: Result): View {
  switch (r.schema) {
    case SIMULATE_SCHEMA:
      return simulateView(r);
    case BENCH_SCHEMA:
      return benchView(r);
    case BENCH_MICRO_SCHEMA:
      return benchMicroView(r);
    case SWEEP_SCHEMA:
      return sweepView(r);
    case REPLAY_SCHEMA:
      return replayView(r);
    case MRC_SCHEMA:
      return mrcView(r);
    case GATE_SCHEMA:
      return gateView(r);
    case TRACE_STATS_SCHEMA:
      return traceStatsView(r);
    default:
      return assertNever(r, 'result schema');
  }
}
