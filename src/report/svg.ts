/**
 * Inline SVG charts for the HTML report, generated as strings (no library, no network):
 * a latency percentile plot on log scales and horizontal bar charts. Pure functions.
 */
import { decodeHistogram } from '../histogram.js';
import type { Percentiles } from '../model/results.js';
import { escapeHtml as esc } from './format.js';

/** One point of a percentile curve: `nines` = -log10(1 - percentile/100); `us` = latency (µs). */
export interface CurvePoint {
  nines: number;
  us: number;
}

export interface Series {
  label: string;
  points: CurvePoint[];
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];
const NINES_50 = -Math.log10(0.5);

/**
 * The percentile curve of a base64 HDR histogram (µs), sampled evenly on the nines scale up to the
 * last percentile the sample size supports, ending at the max. Falls back to the percentile fields
 * (`scaleToUs` converts their unit to µs) when the histogram is missing or does not decode.
 */
export function percentileCurve(histogram: string | undefined, fields: Percentiles | undefined, scaleToUs: number): CurvePoint[] {
  if (histogram) {
    try {
      const h = decodeHistogram(histogram);
      const n = h.totalCount;
      if (n > 0) {
        const top = Math.max(1, Math.log10(n));
        const points: CurvePoint[] = [];
        const steps = 120;
        for (let i = 0; i < steps; i++) {
          const nines = (top * i) / steps;
          points.push({ nines, us: h.getValueAtPercentile(100 * (1 - 10 ** -nines)) });
        }
        points.push({ nines: top, us: h.getValueAtPercentile(100) });
        return points;
      }
    } catch {
      // fall through to the percentile fields
    }
  }
  if (!fields) return [];
  const top = Math.max(3.3, fields.count > 0 ? Math.log10(fields.count) : 4);
  return [
    { nines: NINES_50, us: fields.p50 * scaleToUs },
    { nines: -Math.log10(0.05), us: fields.p95 * scaleToUs },
    { nines: 2, us: fields.p99 * scaleToUs },
    { nines: 3, us: fields.p999 * scaleToUs },
    { nines: top, us: fields.max * scaleToUs },
  ].filter((p) => Number.isFinite(p.us));
}

/** A decade tick label from µs: "0.1 µs", "10 µs", "1 ms", "100 s". */
function tickLabel(us: number): string {
  const [v, unit] = us < 1000 ? [us, 'µs'] : us < 1_000_000 ? [us / 1000, 'ms'] : [us / 1_000_000, 's'];
  return `${Number(v.toPrecision(3))} ${unit}`;
}

function nf(n: number): string {
  return Number.isFinite(n) ? n.toFixed(1) : '0';
}

/** A labelled point on the latency plot (e.g. the reported P99). */
export interface Marker {
  percentile: number;
  us: number;
  label: string;
}

/**
 * Markers at the P50, P99 and P99.9 a result reports: `scaleToUs` converts their unit to µs, `fmt`
 * prints a value in that unit for the label ("P99 1.50 ms").
 */
export function reportedMarkers(p: Percentiles, scaleToUs: number, fmt: (v: number) => string): Marker[] {
  return ([[50, p.p50, 'P50'], [99, p.p99, 'P99'], [99.9, p.p999, 'P99.9']] as const).map(([percentile, v, name]) => ({ percentile, us: v * scaleToUs, label: `${name} ${fmt(v)}` }));
}

/**
 * Percentile (x, nines scale) vs latency (y, log10 scale), one path per series, plus labelled
 * markers (e.g. the P50 / P99 / P99.9 the result reports).
 */
export function latencyPlot(id: string, series: Series[], title: string, markers: Marker[] = []): string {
  const W = 900;
  const H = 420;
  const m = { l: 78, r: 60, t: 36, b: 64 };
  const all = series.flatMap((s) => s.points);
  const positive = all.map((p) => p.us).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(positive.length ? Math.min(...positive) : 1));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(positive.length ? Math.max(...positive) : 10)));
  const xTop = Math.max(3, Math.ceil(Math.max(0, ...all.map((p) => p.nines))));
  const x = (nines: number) => m.l + (nines / xTop) * (W - m.l - m.r);
  const y = (us: number) => H - m.b - ((Math.log10(Math.max(us, 10 ** lo)) - lo) / (hi - lo)) * (H - m.t - m.b);
  const out: string[] = [
    `<svg id="${esc(id)}" class="chart latency-plot" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">`,
    `<text class="chart-title" x="${m.l}" y="22">${esc(title)}</text>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const yy = nf(y(10 ** d));
    out.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${yy}" y2="${yy}"/>`);
    out.push(`<text class="tick y-tick" x="${m.l - 8}" y="${yy}" dy="4" text-anchor="end">${tickLabel(10 ** d)}</text>`);
  }
  const xTicks = [0, NINES_50, ...Array.from({ length: xTop }, (_, k) => k + 1)];
  for (const k of xTicks) {
    const xx = nf(x(k));
    const label = k === 0 ? '0%' : k === NINES_50 ? '50%' : `${(100 * (1 - 10 ** -k)).toFixed(Math.max(0, k - 2))}%`;
    out.push(`<line class="grid" x1="${xx}" x2="${xx}" y1="${m.t}" y2="${H - m.b}"/>`);
    out.push(`<text class="tick x-tick" x="${xx}" y="${H - m.b + 18}" text-anchor="middle">${label}</text>`);
  }
  out.push(`<text class="axis-label" x="${nf((m.l + W - m.r) / 2)}" y="${H - 22}" text-anchor="middle">percentile (log scale of nines)</text>`);
  out.push(`<text class="axis-label" transform="translate(16 ${nf((m.t + H - m.b) / 2)}) rotate(-90)" text-anchor="middle">latency (log scale)</text>`);
  const legend: string[] = [];
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${nf(x(p.nines))},${nf(y(p.us))}`).join(' ');
    const color = PALETTE[i % PALETTE.length];
    out.push(`<path class="series" data-series="${esc(s.label)}" d="${d}" fill="none" stroke="${color}" stroke-width="2.2"/>`);
    const ly = m.t + 10 + i * 18;
    legend.push(`<rect class="legend-swatch" x="${m.l + 14}" y="${ly}" width="14" height="4" fill="${color}"/>`);
    legend.push(`<text class="legend" x="${m.l + 34}" y="${ly + 6}">${esc(s.label)}</text>`);
  });
  for (const mk of markers) {
    const nines = -Math.log10(1 - mk.percentile / 100);
    if (!Number.isFinite(nines) || !Number.isFinite(mk.us)) continue;
    const [mx, my] = [x(nines), y(mk.us)];
    out.push(`<circle class="marker" cx="${nf(mx)}" cy="${nf(my)}" r="4"/>`);
    out.push(`<text class="marker-label" x="${nf(mx + 7)}" y="${nf(my + 16)}">${esc(mk.label)}</text>`);
  }
  // The legend sits over the top-left corner (high latency at low percentiles: usually empty).
  const legendW = 40 + Math.max(0, ...series.map((s) => s.label.length)) * 7;
  if (legend.length) out.push(`<rect class="legend-box" x="${m.l + 6}" y="${m.t + 2}" width="${legendW}" height="${(legend.length / 2) * 18 + 10}" fill="#fff" fill-opacity="0.92" stroke="#e5e7eb"/>`, ...legend);
  out.push('</svg>');
  return out.join('\n');
}

/** One bar of a horizontal bar chart; `value` is in the chart's unit, `text` is printed after it. */
export interface Bar {
  value: number;
  text: string;
  cls: string;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** Horizontal grouped bars; `max` is the value of a full-width bar; `legend` names the bar classes. */
export function barChart(id: string, title: string, groups: BarGroup[], max: number, legend: { cls: string; label: string }[] = []): string {
  const W = 900;
  const barH = 18;
  const gap = 6;
  const labelW = 170;
  const textW = 120;
  const top = 36 + (legend.length ? 22 : 0);
  const groupH = (g: BarGroup) => g.bars.length * (barH + 3) + gap * 2;
  const H = top + groups.reduce((a, g) => a + groupH(g), 0) + 12;
  const scale = (v: number) => (max > 0 && Number.isFinite(v) ? Math.max(0, Math.min(1, v / max)) : 0) * (W - labelW - textW);
  const out: string[] = [
    `<svg id="${esc(id)}" class="chart bar-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">`,
    `<text class="chart-title" x="8" y="22">${esc(title)}</text>`,
  ];
  legend.forEach((l, i) => {
    const lx = labelW + i * 200;
    out.push(`<rect class="bar ${esc(l.cls)} legend-swatch" x="${lx}" y="38" width="14" height="10"/>`);
    out.push(`<text class="legend" x="${lx + 20}" y="47">${esc(l.label)}</text>`);
  });
  let yy = top + gap;
  for (const g of groups) {
    const mid = yy + (g.bars.length * (barH + 3)) / 2;
    out.push(`<text class="bar-label" x="${labelW - 10}" y="${nf(mid)}" dy="4" text-anchor="end">${esc(g.label)}</text>`);
    for (const b of g.bars) {
      const w = scale(b.value);
      out.push(`<rect class="bar ${esc(b.cls)}" x="${labelW}" y="${yy}" width="${nf(Math.max(w, 1))}" height="${barH}" rx="2"><title>${esc(g.label)}: ${esc(b.text)}</title></rect>`);
      // Value text after the bar, or inside its end when it would run past the chart.
      const inside = labelW + w + 6 + b.text.length * 7 > W;
      const tx = inside ? labelW + w - 6 : labelW + Math.max(w, 1) + 6;
      out.push(`<text class="bar-value${inside ? ' inside' : ''}" x="${nf(tx)}" y="${yy + barH - 5}"${inside ? ' text-anchor="end"' : ''}>${esc(b.text)}</text>`);
      yy += barH + 3;
    }
    yy += gap * 2;
  }
  out.push('</svg>');
  return out.join('\n');
}
