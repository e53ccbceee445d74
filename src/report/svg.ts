/**
 * Inline SVG charts for the HTML report, generated as strings (no library, no network): a latency
 * percentile plot on log scales, horizontal bar charts, line charts (miss-ratio curves) and a
 * trade-off scatter with its Pareto front. Pure functions.
 */
import { decodeHistogram } from '../histogram.js';
import type { Percentiles } from '../model/results.js';
import { escapeHtml as esc, fmtPct, fmtUsd } from './format.js';
import type { BarGroup, LineChart, ScatterChart } from './view.js';

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

/** Round up to 1, 2 or 5 × a power of ten: 0.37 -> 0.5, 840 -> 1000. */
function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** A count on an axis: 950, 1.5k, 20k, 3M. */
function fmtCount(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${Number((v / 1e9).toPrecision(3))}G`;
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return `${Number(v.toPrecision(3))}`;
}

/** A percent tick with as many digits as the axis needs. */
function pctTick(v: number, top: number): string {
  return fmtPct(v, top >= 0.1 ? 0 : top >= 0.01 ? 1 : 2);
}

/** A linear or log10 axis mapping [lo, hi] onto [a, b] pixels, with its tick values. */
function axis(lo: number, hi: number, a: number, b: number, log: boolean): { at: (v: number) => number; ticks: number[] } {
  if (log) {
    const l0 = Math.floor(Math.log10(Math.max(lo, 1e-12)));
    const l1 = Math.max(l0 + 1, Math.ceil(Math.log10(Math.max(hi, 1e-12))));
    const at = (v: number) => a + ((Math.log10(Math.max(v, 10 ** l0)) - l0) / (l1 - l0)) * (b - a);
    return { at, ticks: Array.from({ length: l1 - l0 + 1 }, (_, k) => 10 ** (l0 + k)) };
  }
  const span = hi - lo || 1;
  const at = (v: number) => a + ((v - lo) / span) * (b - a);
  const step = niceCeil(span / 5);
  const first = Math.ceil(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return { at, ticks };
}

const LINE_W = 900;
const LINE_H = 420;
const LINE_M = { l: 78, r: 30, t: 36, b: 64 };

/** The frame of an x/y chart: title, grid, ticks, axis labels. */
function frame(id: string, cls: string, title: string, xs: { at: (v: number) => number; ticks: number[] }, ys: { at: (v: number) => number; ticks: number[] }, xTick: (v: number) => string, yTick: (v: number) => string, xLabel: string, yLabel: string): string[] {
  const m = LINE_M;
  const out = [
    `<svg id="${esc(id)}" class="chart ${cls}" viewBox="0 0 ${LINE_W} ${LINE_H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">`,
    `<text class="chart-title" x="${m.l}" y="22">${esc(title)}</text>`,
  ];
  for (const t of ys.ticks) {
    const yy = nf(ys.at(t));
    out.push(`<line class="grid" x1="${m.l}" x2="${LINE_W - m.r}" y1="${yy}" y2="${yy}"/>`);
    out.push(`<text class="tick y-tick" x="${m.l - 8}" y="${yy}" dy="4" text-anchor="end">${esc(yTick(t))}</text>`);
  }
  for (const t of xs.ticks) {
    const xx = nf(xs.at(t));
    out.push(`<line class="grid" x1="${xx}" x2="${xx}" y1="${m.t}" y2="${LINE_H - m.b}"/>`);
    out.push(`<text class="tick x-tick" x="${xx}" y="${LINE_H - m.b + 18}" text-anchor="middle">${esc(xTick(t))}</text>`);
  }
  out.push(`<text class="axis-label" x="${nf((m.l + LINE_W - m.r) / 2)}" y="${LINE_H - 22}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text class="axis-label" transform="translate(16 ${nf((m.t + LINE_H - m.b) / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return out;
}

/**
 * Curves over a shared x axis (miss ratio by capacity), a dot at every point. A `bound` series
 * (OPT) is drawn first, dashed and dark, so the policies' curves lie over it and it reads as the
 * floor beneath them.
 */
export function lineChart(c: LineChart): string {
  const m = LINE_M;
  const pts = c.series.flatMap((s) => s.points);
  const xsV = pts.map((p) => p.x).filter((v) => Number.isFinite(v) && (!c.xLog || v > 0));
  const ysV = pts.map((p) => p.y).filter(Number.isFinite);
  const xLo = c.xLog ? Math.min(...xsV, Infinity) : 0;
  const xs = axis(Number.isFinite(xLo) ? xLo : 1, niceCeil(Math.max(1, ...xsV)), m.l, LINE_W - m.r, c.xLog);
  const yTop = c.yPercent ? Math.min(1, niceCeil(Math.max(0.01, ...ysV))) : niceCeil(Math.max(0, ...ysV));
  const ys = axis(0, yTop, LINE_H - m.b, m.t, false);
  const out = frame(c.id, 'line-chart', c.title, xs, ys, fmtCount, (v) => (c.yPercent ? pctTick(v, yTop) : fmtCount(v)), c.xLabel, c.yLabel);
  const order = c.series.map((s, i) => ({ s, i })).sort((a, b) => Number(!!b.s.bound) - Number(!!a.s.bound));
  const legend: string[] = [];
  let colour = 0;
  const colours = c.series.map((s) => (s.bound ? '#111827' : PALETTE[colour++ % PALETTE.length]));
  for (const { s, i } of order) {
    const visible = s.points.filter((p) => Number.isFinite(p.y) && (!c.xLog || p.x > 0));
    if (visible.length === 0) continue;
    const d = visible.map((p, j) => `${j === 0 ? 'M' : 'L'}${nf(xs.at(p.x))},${nf(ys.at(p.y))}`).join(' ');
    const dash = s.bound ? ' stroke-dasharray="7 4"' : '';
    out.push(`<path class="series${s.bound ? ' bound' : ''}" data-series="${esc(s.label)}" d="${d}" fill="none" stroke="${colours[i]}" stroke-width="${s.bound ? 2.6 : 2.2}"${dash}/>`);
    for (const p of visible) out.push(`<circle class="curve-point" cx="${nf(xs.at(p.x))}" cy="${nf(ys.at(p.y))}" r="3.2" fill="${colours[i]}"><title>${esc(s.label)}: ${esc(fmtCount(p.x))} → ${esc(c.yPercent ? fmtPct(p.y, 2) : fmtCount(p.y))}</title></circle>`);
  }
  c.series.forEach((s, i) => {
    const ly = m.t + 10 + i * 18;
    const lx = LINE_W - m.r - 250;
    legend.push(`<rect class="legend-swatch" x="${lx}" y="${ly}" width="18" height="4" fill="${colours[i]}"/>`);
    legend.push(`<text class="legend" x="${lx + 26}" y="${ly + 6}">${esc(s.label)}</text>`);
  });
  if (legend.length) out.push(`<rect class="legend-box" x="${LINE_W - m.r - 258}" y="${m.t + 2}" width="254" height="${c.series.length * 18 + 10}" fill="#fff" fill-opacity="0.92" stroke="#e5e7eb"/>`, ...legend);
  out.push('</svg>');
  return out.join('\n');
}

/**
 * A trade-off scatter: every configuration a dot, the Pareto front's dots joined in order of x,
 * the recommended one ringed and named, and the budget as a dashed line.
 */
export function scatterChart(c: ScatterChart): string {
  const m = LINE_M;
  const xsV = c.points.map((p) => p.x).filter(Number.isFinite);
  const ysV = c.points.map((p) => p.y).filter(Number.isFinite);
  const xMin = Math.min(...xsV, Infinity);
  const xMax = Math.max(...xsV, -Infinity);
  const pad = Number.isFinite(xMin) ? Math.max((xMax - xMin) * 0.08, Math.abs(xMax) * 0.02, 1e-9) : 1;
  const xs = axis(Number.isFinite(xMin) ? xMin - pad : 0, Number.isFinite(xMax) ? xMax + pad : 1, m.l, LINE_W - m.r, false);
  const yTop = niceCeil(Math.max(1e-4, ...ysV, c.budget ? c.budget.y * 1.2 : 0));
  const ys = axis(0, yTop, LINE_H - m.b, m.t, false);
  const fmtX = (v: number) => (c.xUsd ? fmtUsd(v) : fmtCount(v));
  const fmtY = (v: number) => (c.yPercent ? pctTick(v, yTop) : fmtCount(v));
  const out = frame(c.id, 'scatter-chart', c.title, xs, ys, fmtX, fmtY, c.xLabel, c.yLabel);
  if (c.budget && c.budget.y <= yTop) {
    const by = nf(ys.at(c.budget.y));
    out.push(`<line class="budget" x1="${m.l}" x2="${LINE_W - m.r}" y1="${by}" y2="${by}"/>`);
    out.push(`<text class="point-label" x="${LINE_W - m.r - 4}" y="${by}" dy="-5" text-anchor="end">${esc(c.budget.label)}</text>`);
  }
  const front = c.points.filter((p) => p.front && Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x || a.y - b.y);
  if (front.length > 0) {
    const d = front.map((p, j) => `${j === 0 ? 'M' : 'L'}${nf(xs.at(p.x))},${nf(ys.at(p.y))}`).join(' ');
    out.push(`<path class="series front" data-series="Pareto front" d="${d}" fill="none" stroke="#2563eb" stroke-width="2"/>`);
  }
  const labelled = c.points.length <= 12;
  for (const p of c.points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const [px, py] = [nf(xs.at(p.x)), nf(ys.at(p.y))];
    const what = `${p.label}: ${fmtX(p.x)}, ${fmtY(p.y)}${p.front ? ' (Pareto front)' : ''}${p.recommended ? ' (recommended)' : ''}`;
    out.push(`<circle class="point ${p.front ? 'front-point' : 'other-point'}" cx="${px}" cy="${py}" r="5" fill="${p.front ? '#2563eb' : '#9ca3af'}"><title>${esc(what)}</title></circle>`);
    if (p.recommended) {
      out.push(`<circle class="recommended" cx="${px}" cy="${py}" r="10"/>`);
      out.push(`<text class="point-label recommended-label" x="${px}" y="${py}" dy="-15" text-anchor="middle">recommended: ${esc(p.label)}</text>`);
    } else if (labelled && p.front) {
      out.push(`<text class="point-label" x="${px}" y="${py}" dx="9" dy="-9">${esc(p.label)}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}
