/**
 * The view of miss-ratio curves: LRU (exact and/or SHARDS-sampled) and every other policy that
 * ran, by capacity, with Belady's OPT beneath them; the sampling error. Pure: result -> View.
 */
import type { MrcPoint, MrcResult } from '../../model/results.js';
import { fmtInt, fmtPct } from '../format.js';
import { chart, note, table, type LineSeries, type View } from '../view.js';
import { curveSeries, policyLabel, wantsLogAxis } from './curves.js';

export function mrcView(r: MrcResult): View {
  const { exact, sampled } = r;
  const base: MrcPoint[] = exact ?? sampled?.points ?? [];
  const others = r.curves.slice(1);
  const sampledLabel = sampled ? `lru (SHARDS ${fmtPct(sampled.rate, 3)})` : '';
  const series: LineSeries[] = [
    ...(exact ? [curveSeries('lru (exact)', 'lru', exact)] : []),
    ...(sampled ? [curveSeries(sampledLabel, 'lru', sampled.points)] : []),
    ...others.map((c) => curveSeries(`${policyLabel(c.policy)}${c.sampled ? ' (sampled)' : ''}`, c.policy, c.points)),
  ];
  const head = ['Capacity (entries)', ...(exact ? ['lru (exact)'] : []), ...(sampled ? [sampledLabel] : []), ...others.map((c) => `${policyLabel(c.policy)}${c.sampled ? ' (sampled)' : ''}`)];
  const rows = base.map((p, i) => [
    fmtInt(p.capacity),
    ...(exact ? [fmtPct(exact[i]!.missRatio, 2)] : []),
    ...(sampled ? [fmtPct(sampled.points[i]!.missRatio, 2)] : []),
    ...others.map((c) => fmtPct(c.points[i]!.missRatio, 2)),
  ]);
  const notes: string[] = [];
  if (r.choice) notes.push(`Curve: ${r.choice}.`);
  if (sampled) {
    const fixed = sampled.maxKeys !== undefined ? ` (fixed size, at most ${fmtInt(sampled.maxKeys)} keys; final rate ${fmtPct(sampled.rate, 3)})` : '';
    const vsExact =
      sampled.maxAbsErrorVsExact !== undefined
        ? `; error vs exact: mean ${sampled.meanAbsErrorVsExact!.toFixed(4)}, max ${sampled.maxAbsErrorVsExact.toFixed(4)} (absolute miss ratio)`
        : '; add --exact to measure its error';
    notes.push(
      `SHARDS${fixed}: ${fmtInt(sampled.sampledRequests)} sampled requests over ${fmtInt(sampled.sampledKeys)} keys; error bound about ±${sampled.errorBound.toFixed(3)} ` +
        `(95 %, 1.96·√(0.25/keys), a heuristic)${vsExact}.`,
    );
    const floor = Math.round(1 / sampled.rate);
    if (base.some((p) => p.capacity < floor)) notes.push(`Sampling at ${fmtPct(sampled.rate, 2)} cannot resolve capacities below about ${fmtInt(floor)} entries.`);
  }
  const opt = others.some((c) => c.policy === 'opt');
  return {
    command: 'mrc',
    subject: r.trace,
    title: `Miss-ratio curves: ${r.trace}`,
    meta: [
      `${r.format} trace · ${fmtInt(r.requests)} requests${r.skipped > 0 ? ` (${fmtInt(r.skipped)} invalid skipped)` : ''} · ` +
        `${fmtInt(r.distinctKeys)} distinct keys${exact ? '' : ' (estimated)'} · ${fmtInt(base.length)} capacities`,
    ],
    kpis: [
      { label: 'Requests', value: fmtInt(r.requests) },
      { label: 'Distinct keys', value: fmtInt(r.distinctKeys), note: exact ? 'counted' : 'estimated' },
      { label: 'Curves', value: fmtInt(series.length), note: series.map((s) => s.label.replace(/ \(.*/, '')).join(', ') },
      ...(sampled ? [{ label: 'Sampling error', value: `±${sampled.errorBound.toFixed(3)}`, note: `${fmtInt(sampled.sampledKeys)} sampled keys` }] : []),
    ],
    alerts: [],
    sections: [
      {
        id: 'curves',
        title: 'Miss ratio by capacity',
        blocks: [
          chart({
            type: 'lines',
            id: 'miss-ratio-curves',
            title: `Miss ratio by cache size (entries)${opt ? ', OPT beneath the policies' : ''}`,
            xLabel: 'capacity (entries)',
            yLabel: 'miss ratio',
            xLog: wantsLogAxis(base.map((p) => p.capacity)),
            yPercent: true,
            series,
          }),
          table(head, rows),
          ...notes.map(note),
        ],
      },
    ],
    schema: r.schema,
  };
}
