/** The view of `bench --micro`: one row per microbenchmarked operation. Pure: result -> View. */
import type { BenchMicroResult } from '../../model/results.js';
import { fmtInt } from '../format.js';
import { note, table, type View } from '../view.js';

/** µs with two decimals below 10 µs, one above. */
const us = (ms: number) => (ms * 1000).toFixed(ms * 1000 < 10 ? 2 : 1);

export function benchMicroView(r: BenchMicroResult): View {
  return {
    command: 'bench --micro',
    subject: 'per-operation microbenchmarks',
    title: 'Microbenchmarks: one operation at a time',
    meta: [`${fmtInt(r.rows.length)} operations, each measured with tinybench`],
    kpis: [],
    alerts: [],
    sections: [
      {
        id: 'operations',
        title: 'Operations',
        blocks: [
          table(
            ['Operation (per iteration)', 'Ops / iteration', 'Mean µs', 'P75 µs', 'P99 µs', 'Margin', 'Samples'],
            r.rows.map((x) => [x.name, fmtInt(x.opsPerIteration), us(x.meanMs), us(x.p75Ms), us(x.p99Ms), `±${x.rmePct.toFixed(2)}%`, fmtInt(x.samples)]),
          ),
          note('Latency per iteration; an iteration of a batch runs its operations concurrently. Margin: relative margin of error of the mean.'),
        ],
      },
    ],
    schema: r.schema,
  };
}
