/**
 * The three bills of a simulate result (no caching; provider prompt caching only; the tiers +
 * prompt caching) as one section of its view: rows, a bar chart and sentences. Pure.
 */
import type { BenchResult, Bill, Bills, PromptCacheStats, SimulateResult } from '../../model/results.js';
import { fmtInt, fmtPct, fmtUsd } from '../format.js';
import { chart, note, table, type Section } from '../view.js';

const NAMES: [keyof Bills, string][] = [
  ['noCache', 'no caching'],
  ['promptCacheOnly', 'prompt caching only'],
  ['stack', 'tiers + prompt caching'],
];

const BILL_HEAD = ['LLM bill per month', 'Uncached input', 'Cache write', 'Cache read', 'Output', 'Total'];
const BILL_OP_HEAD = ['Op · model', ...NAMES.map(([, n]) => n)];

/** One row per bill: its parts and total (USD per month). */
function billRows(b: Bills): string[][] {
  return NAMES.map(([k, name]) => {
    const p = b[k].byPart;
    return [name, fmtUsd(p.inputUncached), fmtUsd(p.cacheWrite), fmtUsd(p.cacheRead), fmtUsd(p.output), fmtUsd(b[k].monthlyUsd)];
  });
}

/** One row per op and model: the three bills' totals (USD per month). */
function billOpRows(b: Bills): string[][] {
  const rows: string[][] = [];
  for (const [op, models] of Object.entries(b.noCache.byOp))
    for (const model of Object.keys(models)) {
      const usd = (bill: Bill) => fmtUsd(bill.byOp[op]?.[model]?.monthlyUsd ?? 0);
      rows.push([`${op} · ${model}`, usd(b.noCache), usd(b.promptCacheOnly), usd(b.stack)]);
    }
  return rows;
}

/** What the three bills say, in one sentence. */
function billSummary(b: Bills): string {
  const base = b.noCache.monthlyUsd;
  const saved = (x: number) => (base > 0 ? ` (${fmtPct(1 - x / base)} less)` : '');
  return (
    `LLM API bill per month: ${fmtUsd(base)} with no caching, ${fmtUsd(b.promptCacheOnly.monthlyUsd)} with the provider's prompt cache alone` +
    `${saved(b.promptCacheOnly.monthlyUsd)}, ${fmtUsd(b.stack.monthlyUsd)} with the tiers in front of it${saved(b.stack.monthlyUsd)}.`
  );
}

/** The provider prompt cache (innermost tier) in one sentence, or '' when it is off. */
function promptCacheSummary(r: { promptCache?: PromptCacheStats }): string {
  const p = r.promptCache;
  if (!p) return '';
  return (
    `Provider prompt cache (innermost tier): ${fmtInt(p.requests)} calls reached the model; ${fmtPct(p.tokenHitRate)} of their input tokens ` +
    `were read from the cache (${fmtInt(p.cachedTokens)} of ${fmtInt(p.inputTokens)}), ${fmtInt(p.writtenTokens)} written; ` +
    `block hit rate ${fmtPct(p.blockHitRate)} (${fmtInt(p.cachedBlocks)} of ${fmtInt(p.blocks)} blocks).`
  );
}

/** Which figures the trace measured and which are ASSUMED, as two sentences ('' for old results). */
function provenanceLines(r: SimulateResult): string[] {
  const p = r.provenance;
  if (!p) return [];
  const keyless = r.keylessRequests ? ` ${fmtInt(r.keylessRequests)} request(s) had no key and were never looked up in the application tiers.` : '';
  return [`Measured from the trace: ${p.measured.length ? p.measured.join('; ') : 'nothing (a synthetic workload)'}.${keyless}`, `ASSUMED: ${p.assumed.join('; ')}.`];
}

/** The bills section of a simulate view, or undefined for a result without bills. */
export function billsSection(r: SimulateResult): Section | undefined {
  const b = r.cost.bills;
  if (!b) return undefined;
  return billsOf(b, [promptCacheSummary(r)], [...provenanceLines(r).map(note)]);
}

/** The bills section of a bench view (computed from the trace; no provider is called), or undefined. */
export function benchBillsSection(r: BenchResult): Section | undefined {
  if (!r.cost) return undefined;
  const window = `Computed from the trace (no provider is called) for the measured requests: ${fmtInt(r.cost.windowDays * 1440)} minutes of trace time, projected to a 30-day month.`;
  return billsOf(r.cost.bills, [promptCacheSummary(r), window], []);
}

function billsOf(b: Bills, sentences: string[], tail: ReturnType<typeof note>[]): Section {
  return {
    id: 'bills',
    title: 'Three bills per month',
    blocks: [
      chart({
        type: 'bars',
        id: 'bills-plot',
        title: 'LLM API bill per month (USD)',
        max: b.noCache.monthlyUsd,
        groups: [
          {
            label: 'LLM bill',
            bars: [
              { value: b.noCache.monthlyUsd, text: `${fmtUsd(b.noCache.monthlyUsd)} no caching`, cls: 'baseline' },
              { value: b.promptCacheOnly.monthlyUsd, text: `${fmtUsd(b.promptCacheOnly.monthlyUsd)} prompt caching only`, cls: 'stale' },
              { value: b.stack.monthlyUsd, text: `${fmtUsd(b.stack.monthlyUsd)} tiers + prompt caching`, cls: 'cached' },
            ],
          },
        ],
        legend: [
          { cls: 'baseline', label: 'no caching' },
          { cls: 'stale', label: 'provider prompt caching only' },
          { cls: 'cached', label: 'tiers + prompt caching' },
        ],
      }),
      table(BILL_HEAD, billRows(b)),
      note(billSummary(b)),
      ...sentences.filter(Boolean).map(note),
      table(BILL_OP_HEAD, billOpRows(b)),
      ...tail,
    ],
  };
}
