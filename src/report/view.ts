/**
 * What a report shows, independent of how it is written: a view is the headline, the key figures
 * and the sections of one result, each section a list of blocks (tables of formatted cells, notes,
 * lists, charts). `views/<kind>.ts` builds one per result kind (pure: result -> View); the text,
 * Markdown and HTML serializers lay the same view out their way, so a row exists once. Every
 * string in a view is plain text: the serializers escape it for their format.
 */
import type { Percentiles } from '../model/results.js';

/** A headline figure: a label, a value and a small note (HTML cards, a bold line in Markdown). */
export interface Kpi {
  label: string;
  value: string;
  note?: string;
}

/** A table of formatted cells; the first `textCols` columns are text, the others numbers (right-aligned). */
export interface TableBlock {
  type: 'table';
  head: string[];
  rows: string[][];
  /** Default 1. */
  textCols?: number;
}

/** A sentence or two under a table. */
export interface NoteBlock {
  type: 'note';
  text: string;
}

/** Something a reader must not miss (a data leak, a failed check). */
export interface WarningBlock {
  type: 'warning';
  text: string;
}

/** A titled bullet list (assumptions, warnings). */
export interface ListBlock {
  type: 'list';
  title?: string;
  items: string[];
}

/** A picture of data the section's tables also show; only the HTML page draws it. */
export interface ChartBlock {
  type: 'chart';
  chart: Chart;
}

export type Block = TableBlock | NoteBlock | WarningBlock | ListBlock | ChartBlock;

/** One latency distribution on a percentile plot: its HDR histogram (µs, base64) or, failing that, its percentile fields. */
export interface PercentileSeries {
  label: string;
  histogram?: string;
  fields?: Percentiles;
}

/** Latency by percentile (log scales); `scaleToUs` converts the fields' and markers' unit to µs. */
export interface PercentileChart {
  type: 'percentiles';
  id: string;
  title: string;
  scaleToUs: number;
  series: PercentileSeries[];
  /** Labelled points at the percentiles the result reports (value in the fields' unit). */
  markers: { percentile: number; value: number; label: string }[];
}

/** One bar; `value` in the chart's unit, `text` printed after it, `cls` its colour class. */
export interface Bar {
  value: number;
  text: string;
  cls: string;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** Horizontal grouped bars; `max` is the value of a full-width bar. */
export interface BarChart {
  type: 'bars';
  id: string;
  title: string;
  groups: BarGroup[];
  max: number;
  legend?: { cls: string; label: string }[];
}

/** One curve of a line chart: points (x, y) in order of x. `bound` draws it as the lower bound (dashed, beneath the others). */
export interface LineSeries {
  label: string;
  points: { x: number; y: number }[];
  bound?: boolean;
}

/** Curves over a shared x axis (miss-ratio curves: capacity vs miss ratio). */
export interface LineChart {
  type: 'lines';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Log-scale x axis. */
  xLog: boolean;
  /** y is a fraction (0..1) shown as a percent. */
  yPercent: boolean;
  series: LineSeries[];
}

/** One configuration of a trade-off: x, y, a label, whether it is on the front and the recommended one. */
export interface TradeoffPoint {
  x: number;
  y: number;
  label: string;
  front: boolean;
  recommended: boolean;
}

/** A trade-off scatter (sweep: monthly spend vs false-hit or stale rate), the Pareto front joined, the recommended point marked. */
export interface ScatterChart {
  type: 'scatter';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** x is USD, y a fraction shown as a percent. */
  xUsd: boolean;
  yPercent: boolean;
  points: TradeoffPoint[];
  /** A horizontal budget line (same unit as y), e.g. the false-hit budget. */
  budget?: { y: number; label: string };
}

export type Chart = PercentileChart | BarChart | LineChart | ScatterChart;

/** A titled part of a report; `fold` tucks it away where the format can (Markdown <details>). */
export interface Section {
  id: string;
  title: string;
  blocks: Block[];
  fold?: boolean;
}

/** One result as a report. */
export interface View {
  /** The command that wrote the result (`simulate`, `trace stats`). */
  command: string;
  /** What the result is about (the scenario's name, the trace file). */
  subject: string;
  /** A heading for people, e.g. "Cache simulation: seed-article". */
  title: string;
  /** A verdict the result carries (gate): shown with the heading. */
  status?: { level: 'pass' | 'warn' | 'unsure' | 'fail'; label: string };
  /** Lines under the heading: how the result was made. */
  meta: string[];
  kpis: Kpi[];
  /** Shown right under the key figures (a leak, a failed gate). */
  alerts: string[];
  sections: Section[];
  /** Schema of the result (the HTML footer names it). */
  schema: string;
}

/** A table block. */
export function table(head: string[], rows: string[][], textCols?: number): TableBlock {
  return textCols === undefined ? { type: 'table', head, rows } : { type: 'table', head, rows, textCols };
}

/** A note block. */
export function note(text: string): NoteBlock {
  return { type: 'note', text };
}

/** A warning block. */
export function warning(text: string): WarningBlock {
  return { type: 'warning', text };
}

/** A list block (none when there is nothing to list). */
export function list(items: string[], title?: string): ListBlock[] {
  if (items.length === 0) return [];
  return [title === undefined ? { type: 'list', items } : { type: 'list', title, items }];
}

/** A chart block. */
export function chart(c: Chart): ChartBlock {
  return { type: 'chart', chart: c };
}

/**
 * The "Latency" section of a run: a percentile chart of `series` (log scale, the fields in units of
 * `scaleToUs` µs) marked at the percentiles `reported` gives, formatted with `fmt`, then `summary`.
 */
export function latencySection(o: { title: string; scaleToUs: number; series: PercentileSeries[]; reported: Percentiles; fmt: (v: number) => string; summary: TableBlock }): Section {
  return {
    id: 'latency',
    title: 'Latency',
    blocks: [chart({ type: 'percentiles', id: 'latency-plot', title: o.title, scaleToUs: o.scaleToUs, series: o.series, markers: reportedMarkers(o.reported, o.fmt) }), o.summary],
  };
}

/** Markers at the P50, P99 and P99.9 a result reports, labelled with `fmt` of each value ("P99 1.50 ms"). */
export function reportedMarkers(p: Percentiles, fmt: (v: number) => string): PercentileChart['markers'] {
  return ([[50, p.p50, 'P50'], [99, p.p99, 'P99'], [99.9, p.p999, 'P99.9']] as const).map(([percentile, value, name]) => ({ percentile, value, label: `${name} ${fmt(value)}` }));
}
