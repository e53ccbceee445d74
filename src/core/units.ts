/**
 * The one grammar of durations, fractions, rates and capacities that flags and swept scenario values take
 * (docs/architecture.md, "Durations and rates"). Every parser here throws an InputError that names
 * the flag and the forms it accepts.
 *
 *   number     digits with an optional decimal part: 2, 0.5, .5 (no sign, no exponent)
 *   duration   number unit, unit one of ms s m h d (500ms, 2s, 2m, 12h, 3d); a bare number is
 *              in the flag's own unit (seconds for --duration, milliseconds for --timeout, days
 *              for --days)
 *   fraction   number% (10%) or a bare fraction at most 1 (0.1); a bare number above 1 is
 *              refused as ambiguous (10: 10% or 10x?), so 150% is written with its sign
 *   rate       number per unit of time: 150/s, 9000/m, 20/h, or a bare number per second
 *   capacity   number with an optional multiplier k M G (10^3/6/9) or Ki Mi Gi (2^10/20/30) and
 *              an optional b (1000, 100k, 2M, 64MiB), rounded to a whole number >= 1
 *
 * Space between a number and its unit is allowed (10 %); nothing else is.
 */
import { InputError } from '../errors.js';

/** Milliseconds in one of each duration unit. */
const MS_PER: Readonly<Record<DurationUnit, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DURATION_UNITS = ['ms', 's', 'm', 'h', 'd'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const DURATION = new RegExp(`^${NUMBER}\\s*(ms|s|m|h|d)?$`);
const FRACTION = new RegExp(`^${NUMBER}\\s*(%)?$`);
const RATE = new RegExp(`^${NUMBER}\\s*(?:/\\s*(ms|s|m|h|d))?$`);

const UNIT_NAMES: Readonly<Record<DurationUnit, string>> = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours', d: 'days' };

export interface DurationOptions {
  /** The unit of a bare number. */
  unit: DurationUnit;
  /** The unit of the value returned (default: `unit`). */
  as?: DurationUnit;
  /** Refuse 0 (a trial of no time, a timeout of none). Default: 0 is accepted. */
  positive?: boolean;
}

/** The accepted forms of a duration, for messages. */
export function durationForms(o: DurationOptions): string {
  return `a duration${o.positive ? ' longer than 0' : ''} such as 500ms, 2s, 2m, 12h or 3d (a bare number is ${UNIT_NAMES[o.unit]})`;
}

/**
 * `text` as a duration in `o.as` (`2s` as ms is 2000). A value written in that unit is returned
 * as written, with no conversion that could round it.
 */
export function parseDuration(flag: string, text: string, o: DurationOptions): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new InputError(`${flag}: expected ${durationForms(o)}, got ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? o.unit) as DurationUnit;
  const as = o.as ?? o.unit;
  const value = unit === as ? n : (n * MS_PER[unit]) / MS_PER[as];
  if (o.positive && !(value > 0)) throw new InputError(`${flag}: expected ${durationForms(o)}, got ${JSON.stringify(text)}`);
  return value;
}

export interface FractionOptions {
  /** Largest accepted value (default 1 = 100%); Infinity for a factor such as a slowdown. */
  max?: number;
  /** Refuse 0. Default: 0 is accepted. */
  positive?: boolean;
}

/** The accepted forms of a fraction, for messages. */
export function fractionForms(o: FractionOptions = {}): string {
  const max = o.max ?? 1;
  const range = max === Number.POSITIVE_INFINITY ? '' : ` up to ${max * 100}%`;
  return `a percent such as 10% or a fraction such as 0.1${o.positive ? ', above 0' : ''}${range}`;
}

/** `10%` or `0.1` as 0.1; a bare number above 1 is refused (write 150% for 1.5). */
export function parseFraction(flag: string, text: string, o: FractionOptions = {}): number {
  const m = FRACTION.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  const value = m?.[2] ? n / 100 : n;
  const ambiguous = m !== null && !m[2] && n > 1;
  if (!m || ambiguous || value > (o.max ?? 1) || (o.positive && !(value > 0))) {
    const hint = ambiguous ? ` (a bare number is a fraction: for ${n} percent write ${n}%)` : '';
    throw new InputError(`${flag}: expected ${fractionForms(o)}, got ${JSON.stringify(text)}${hint}`);
  }
  return value;
}

/** The accepted forms of a rate, for messages. */
export const RATE_FORMS = 'a rate above 0 such as 150/s, 9000/m or 20/h (a bare number is per second)';

/** `150/s`, `9000/m` or a bare `150` as events per second (> 0). */
export function parsePerSecond(flag: string, text: string): number {
  const m = RATE.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  const unit = (m?.[2] ?? 's') as DurationUnit;
  const value = unit === 's' ? n : (n * 1000) / MS_PER[unit];
  if (!m || !(value > 0) || !Number.isFinite(value)) throw new InputError(`${flag}: expected ${RATE_FORMS}, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * `NAME:REST` with NAME a tier name (L2, my-tier): the name and the rest, or an InputError naming
 * the flag and `form` (e.g. `TIER:PCT such as L2:10%`).
 */
export function splitTier(flag: string, text: string, form: string): { tier: string; rest: string } {
  const m = /^([A-Za-z][\w-]*):(.+)$/.exec(text.trim());
  if (!m) throw new InputError(`${flag}: expected ${form}, got ${JSON.stringify(text)}`);
  return { tier: m[1]!, rest: m[2]! };
}

const CAPACITY_MULTIPLIERS: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1048576, gi: 1073741824 };

/** A capacity (entries, or bytes) such as `1000`, `100k`, `2M`, `64MiB` (k/M/G = 10^3/6/9; Ki/Mi/Gi = 2^10/20/30). */
export function parseCapacity(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?)?b?$/i.exec(text.trim());
  const value = m ? Math.round(Number(m[1]) * CAPACITY_MULTIPLIERS[(m[2] ?? '').toLowerCase()]!) : Number.NaN;
  if (!(value >= 1) || !Number.isSafeInteger(value)) {
    throw new InputError(`${flag}: capacity must be a positive integer (e.g. 1000, 100k, 64MiB), got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Commander parsers (value => parsed) over the grammar, for `.option(…, parser)`. */
export const durationOption = (flag: string, o: DurationOptions) => (v: string) => parseDuration(flag, v, o);
export const fractionOption = (flag: string, o: FractionOptions = {}) => (v: string) => parseFraction(flag, v, o);
export const perSecondOption = (flag: string) => (v: string) => parsePerSecond(flag, v);
export const capacityOption = (flag: string) => (v: string) => parseCapacity(flag, v);
