/**
 * Prices, token accounting and the monthly projection. Baseline = the same trace with no cache:
 * every LLM request is a call. Projection to a month = window cost × 30 / window days.
 */
import type { Scenario } from './config.js';
import type { Bill, Bills, CostBreakdown } from './model/results.js';

export const DAYS_PER_MONTH = 30;

/** Token and call counts per op, accumulated by an engine (tokens, calls). */
export interface TokenLedger {
  baselineCalls: Float64Array;
  calls: Float64Array;
  baselineIn: Float64Array;
  baselineOut: Float64Array;
  paidIn: Float64Array;
  paidOut: Float64Array;
  /** Embedding calls and their tokens, for semantic tiers. */
  embeddingCalls: number;
  embeddingTokens: number;
}

export function newLedger(ops: number): TokenLedger {
  const z = () => new Float64Array(ops);
  return { baselineCalls: z(), calls: z(), baselineIn: z(), baselineOut: z(), paidIn: z(), paidOut: z(), embeddingCalls: 0, embeddingTokens: 0 };
}

/** USD for a number of input and output tokens of a model. */
export function tokenUsd(s: Scenario, model: string, tokensIn: number, tokensOut: number): number {
  const price = s.models[model];
  if (!price) return 0;
  return (tokensIn * price.inputPerMTok + tokensOut * price.outputPerMTok) / 1e6;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** USD per month of `op` in a bill (all its models). */
function opMonthly(b: Bill, op: string): number {
  return Object.values(b.byOp[op] ?? {}).reduce((sum, x) => sum + x.monthlyUsd, 0);
}

/**
 * The cost of a run. `bills` (the model stage's, src/cache/walk.ts) price the LLM traffic: the
 * headline `monthlyUsd` is the real bill — the stack bill (the tiers + the provider prompt cache)
 * plus embeddings and infrastructure — and `baselineMonthlyUsd` is the noCache bill. Without
 * `bills`, LLM calls are priced at the input and output prices alone.
 */
export function computeCost(s: Scenario, opNames: string[], ledger: TokenLedger, windowDays: number, bills?: Bills): CostBreakdown {
  const scale = DAYS_PER_MONTH / windowDays;
  const byOp: CostBreakdown['byOp'] = {};
  let baselineWindowUsd = 0;
  let llmWindowUsd = 0;
  const tokens = { baselineIn: 0, baselineOut: 0, paidIn: 0, paidOut: 0 };
  opNames.forEach((name, i) => {
    const op = s.ops[name];
    if (!op || op.kind !== 'llm') return;
    const base = bills ? opMonthly(bills.noCache, name) / scale : tokenUsd(s, op.model, ledger.baselineIn[i]!, ledger.baselineOut[i]!);
    const paid = bills ? opMonthly(bills.stack, name) / scale : tokenUsd(s, op.model, ledger.paidIn[i]!, ledger.paidOut[i]!);
    baselineWindowUsd += base;
    llmWindowUsd += paid;
    tokens.baselineIn += ledger.baselineIn[i]!;
    tokens.baselineOut += ledger.baselineOut[i]!;
    tokens.paidIn += ledger.paidIn[i]!;
    tokens.paidOut += ledger.paidOut[i]!;
    byOp[name] = {
      baselineCalls: ledger.baselineCalls[i]!,
      calls: ledger.calls[i]!,
      baselineMonthlyUsd: round(base * scale),
      monthlyUsd: round(paid * scale),
    };
  });
  const embeddingWindowUsd = (ledger.embeddingTokens * s.embedding.usdPerMTok) / 1e6;
  const infraMonthlyUsd = s.tiers.filter((t) => t.enabled).reduce((sum, t) => sum + t.monthlyUsd, 0);
  // With bills, their totals are the figures (the per-op sums differ from them by rounding cents).
  if (bills) {
    baselineWindowUsd = bills.noCache.monthlyUsd / scale;
    llmWindowUsd = bills.stack.monthlyUsd / scale;
  }
  const baselineMonthlyUsd = baselineWindowUsd * scale;
  const monthlyUsd = (llmWindowUsd + embeddingWindowUsd) * scale + infraMonthlyUsd;
  const models = [...new Set(opNames.map((n) => s.ops[n]).filter((o) => o?.kind === 'llm').map((o) => o!.model))];
  const assumptions = [
    `window of ${round(windowDays, 3)} day(s) projected to a ${DAYS_PER_MONTH}-day month (× ${round(scale, 4)})`,
    ...models.map((m) => {
      const p = s.models[m]!;
      return `${m}: $${p.inputPerMTok}/1M input tokens, $${p.outputPerMTok}/1M output tokens`;
    }),
    `tokens per call: ${opNames
      .filter((n) => s.ops[n]?.kind === 'llm')
      .map((n) => `${n} ${s.ops[n]!.tokensIn} in / ${s.ops[n]!.tokensOut} out`)
      .join(', ')}`,
    'memory-context reads are served by the system of record (latency, no tokens)',
    'streaming and tool-use requests bypass the cache and are paid in full',
    bills
      ? 'monthlyUsd is the real bill: the LLM calls at the stack bill (the tiers + the provider prompt cache: cached input at the read price, written input at the write price), plus embeddings and infrastructure; baselineMonthlyUsd is the noCache bill (every LLM request paid in full)'
      : 'baseline: the same trace with no cache (every LLM request is a call)',
  ];
  if (ledger.embeddingCalls > 0) assumptions.push(`${ledger.embeddingCalls.toLocaleString('en-US')} embedding calls in the window at $${s.embedding.usdPerMTok}/1M tokens`);
  if (infraMonthlyUsd > 0) assumptions.push(`infrastructure: $${infraMonthlyUsd}/month for the enabled tiers`);
  return {
    baselineMonthlyUsd: round(baselineMonthlyUsd),
    monthlyUsd: round(monthlyUsd),
    savingsPct: baselineMonthlyUsd > 0 ? round((1 - monthlyUsd / baselineMonthlyUsd) * 100) : 0,
    windowDays,
    baselineWindowUsd: round(baselineWindowUsd, 4),
    llmWindowUsd: round(llmWindowUsd, 4),
    embeddingWindowUsd: round(embeddingWindowUsd, 4),
    infraMonthlyUsd,
    tokens,
    byOp,
    assumptions,
  };
}
