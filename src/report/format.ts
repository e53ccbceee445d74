/**
 * Shared formatting for the reporters: numbers, percents, USD, latencies, durations, and the
 * escaping of untrusted text (scenario, op and tier names come from user files and traces).
 * Everything here is pure and locale-independent, so reports are byte-identical everywhere.
 */
import Table from 'cli-table3';
import { oneLine } from '../core/text.js';

export { oneLine, wrap } from '../core/text.js';

/** Shown for a value that is missing or not a finite number. */
export const NA = 'n/a';

function finite(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** Digits with a comma every three places: "1234567.5" -> "1,234,567.5". */
function group(digits: string): string {
  const [int, frac] = digits.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const body = sign ? int.slice(1) : int;
  const grouped = body.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (frac !== undefined ? `.${frac}` : '');
}

/** An integer count with thousands separators: 1234567 -> "1,234,567". */
export function fmtInt(n: number | undefined): string {
  return finite(n) ? group(Math.round(n).toFixed(0)) : NA;
}

/** A fraction (0..1) as a percent: 0.7421 -> "74.2%". */
export function fmtPct(fraction: number | undefined, digits = 1): string {
  return finite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : NA;
}

/** A value already in percent: 54.02 -> "54.0%". */
export function fmtPctValue(pct: number | undefined, digits = 1): string {
  return finite(pct) ? `${pct.toFixed(digits)}%` : NA;
}

/** US dollars: whole dollars from $100 up ("$12,345"), cents below ("$12.35"), "$0.0042" under a dollar. */
export function fmtUsd(usd: number | undefined): string {
  if (!finite(usd)) return NA;
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a >= 100) return `${sign}$${group(a.toFixed(0))}`;
  if (a >= 1 || a === 0) return `${sign}$${a.toFixed(2)}`;
  return `${sign}$${a.toPrecision(2)}`;
}

/**
 * A latency with about three significant digits, no unit: 0.0523 -> "0.0523", 1.234 -> "1.23",
 * 42.37 -> "42.4", 1234.5 -> "1,235". The caller names the unit (ms or µs) in the header.
 */
export function fmtLatency(v: number | undefined): string {
  if (!finite(v)) return NA;
  const a = Math.abs(v);
  if (a >= 100) return group(v.toFixed(0));
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return Number(v.toPrecision(3)).toString();
}

/** A latency with its unit: fmtMs(1.5) -> "1.50 ms". */
export function fmtMs(ms: number | undefined): string {
  return finite(ms) ? `${fmtLatency(ms)} ms` : NA;
}

/** A latency given in µs, shown in µs below 1 ms and in ms above: "680 µs", "13.8 ms". */
export function fmtUs(us: number | undefined): string {
  if (!finite(us)) return NA;
  return Math.abs(us) < 1000 ? `${fmtLatency(us)} µs` : fmtMs(us / 1000);
}

/** A duration in ms as a human age: "850 ms", "42 s", "3.5 min", "1.2 h", "2.0 d". */
export function fmtDuration(ms: number | undefined): string {
  if (!finite(ms)) return NA;
  const a = Math.abs(ms);
  if (a < 1000) return `${fmtLatency(ms)} ms`;
  if (a < 60_000) return `${(ms / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  if (a < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (a < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** a / b as a fraction, NaN when b is 0. */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * Escape untrusted text for Markdown (GitHub-flavoured), inline or inside a table cell: HTML
 * specials become entities, Markdown punctuation (`| \ * _ [ ] ~ #` and backticks) is
 * backslash-escaped, and newlines become spaces so a cell or a headline cannot be broken.
 */
export function escapeMarkdown(text: unknown): string {
  return oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c])
    .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`);
}

/** Column alignment of a text table. */
export type Align = 'left' | 'right';

/**
 * A plain text table (cli-table3, box drawing, no colour codes). Header and cells are made one-line
 * (control characters, ANSI escapes included, become spaces) so untrusted names cannot break it.
 */
export function textTable(head: string[], rows: string[][], align: Align[] = []): string {
  const t = new Table({
    head: head.map(oneLine),
    colAligns: head.map((_, i) => align[i] ?? (i === 0 ? 'left' : 'right')),
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
  });
  for (const r of rows) t.push(r.map(oneLine));
  return t.toString();
}

/**
 * Who served memory reads, in stack order: the result's tiers first, then any other server named in
 * `memory[depth].servedBy` (so nothing is dropped if the engine names one the tier list lacks).
 */
export function memoryServers(r: { tiers: { name: string }[]; memory: Record<string, { servedBy: Record<string, number> }> }): string[] {
  const names = r.tiers.map((t) => t.name);
  const seen = new Set(names);
  for (const d of Object.values(r.memory)) {
    for (const s of Object.keys(d.servedBy)) {
      if (!seen.has(s)) {
        seen.add(s);
        names.push(s);
      }
    }
  }
  return names.filter((n) => Object.values(r.memory).some((d) => (d.servedBy[n] ?? 0) > 0));
}

/** What the cost table's columns count: calls are the simulated window's, dollars a 30-day month's. */
export function costCaption(windowDays: number): string {
  return `calls counted in the ${fmtDays(windowDays)} window; dollars projected to a 30-day month`;
}

/** What a stale rate is a share of, and why an age of 0 ms is common. */
export const STALENESS_NOTE =
  'Stale rate = stale hits / hits of that key class. Age = time from computing the served value to ' +
  'serving it, over all hits of the class; 0 ms means it was served in the millisecond it was computed ' +
  '(a conversation window read by the message that wrote it, or an answer asked again by the next bot ' +
  'on the same message).';

/** The headline's staleness, LLM answers apart from conversation windows (never one mixed rate). */
export function staleHeadline(s: { answers: { hits: number; staleHits: number; staleRate: number }; contextWindows: { hits: number; staleHits: number; staleRate: number } }): string {
  const part = (g: { hits: number; staleHits: number; staleRate: number }) => `${fmtPct(g.staleRate, 2)} (${fmtInt(g.staleHits)} of ${fmtInt(g.hits)} hits)`;
  return `Stale LLM answers ${part(s.answers)}; stale conversation windows ${part(s.contextWindows)}`;
}

function fmtDays(days: number): string {
  if (days >= 1 && Number.isInteger(days)) return `${days}-day`;
  return days >= 1 ? `${Number(days.toFixed(2))}-day` : `${fmtDuration(days * 86_400_000)}`;
}
