/**
 * The view of a replay: each cache's misses and miss ratio, and the miss ratio of each policy by
 * capacity (OPT beneath the others when it ran). Pure: result -> View.
 */
import type { ReplayResult } from '../../model/results.js';
import { fmtInt, fmtPct } from '../format.js';
import { chart, note, table, type View } from '../view.js';
import { curveSeries, policyLabel, wantsLogAxis } from './curves.js';

export function replayView(r: ReplayResult): View {
  const unit = r.bySize ? 'bytes' : 'entries';
  const policies = [...new Set(r.results.map((x) => x.policy))];
  const best = r.results.filter((x) => x.policy !== 'opt').sort((a, b) => a.missRatio - b.missRatio)[0];
  const opt = r.results.some((x) => x.policy === 'opt');
  return {
    command: 'replay',
    subject: r.trace,
    title: `Replay: ${r.trace}`,
    meta: [
      `${r.format} trace · ${fmtInt(r.requests)} requests${r.skipped > 0 ? ` (${fmtInt(r.skipped)} invalid skipped)` : ''} · capacity in ${unit}` +
        ` · ${(r.elapsedMs / 1000).toFixed(2)} s, peak RSS ${r.peakRssMB} MiB`,
    ],
    kpis: [
      { label: 'Requests', value: fmtInt(r.requests) },
      { label: 'Caches', value: fmtInt(r.results.length), note: policies.map(policyLabel).join(', ') },
      ...(best ? [{ label: 'Lowest miss ratio', value: fmtPct(best.missRatio, 2), note: `${policyLabel(best.policy)} at ${fmtInt(best.capacity)} ${unit}` }] : []),
    ],
    alerts: [],
    sections: [
      {
        id: 'curves',
        title: 'Miss ratio by policy and capacity',
        blocks: [
          chart({
            type: 'lines',
            id: 'miss-ratio-curves',
            title: `Miss ratio by capacity (${unit})${opt ? ', OPT beneath the policies' : ''}`,
            xLabel: `capacity (${unit})`,
            yLabel: 'miss ratio',
            xLog: wantsLogAxis(r.results.map((x) => x.capacity)),
            yPercent: true,
            series: policies.map((p) =>
              curveSeries(
                policyLabel(p),
                p,
                r.results.filter((x) => x.policy === p).sort((a, b) => a.capacity - b.capacity),
              ),
            ),
          }),
          table(
            ['Policy', `Capacity (${unit})`, 'Requests', 'Misses', 'Miss ratio', 'req/s'],
            r.results.map((x) => [policyLabel(x.policy), fmtInt(x.capacity), fmtInt(x.requests), fmtInt(x.misses), fmtPct(x.missRatio, 2), fmtInt(x.reqPerSec)]),
          ),
          note('req/s = requests / (decoding time + that cache\'s own time); OPT, Belady\'s MIN, is the fewest misses any demand cache of that size can have.'),
        ],
      },
    ],
    schema: r.schema,
  };
}
