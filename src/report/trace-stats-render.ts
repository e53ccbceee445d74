/** Human-readable tables for `llmcache trace stats` (pure: stats in, text out). */
import type { Percentiles } from '../model/results.js';
import type { TraceStats } from '../trace/stats.js';
import { MEMORY_DEPTHS } from '../trace/types.js';
import { fmtDuration, fmtInt, fmtPct, oneLine, textTable } from './format.js';

function gapRow(label: string, p: Percentiles): string[] {
  return [label, fmtInt(p.count), ...[p.mean, p.p50, p.p95, p.p99, p.p999, p.max].map(fmtDuration)];
}

export function renderTraceStats(s: TraceStats, title = 'trace'): string {
  const out: string[] = [];
  out.push(
    `${oneLine(title)}: ${fmtInt(s.events)} events over ${fmtDuration(s.spanMs)} — ${fmtInt(s.messages)} messages, ` +
      `${fmtInt(s.requests)} requests (${fmtInt(s.llmRequests)} LLM, ${fmtInt(s.memoryReads)} memory reads), ` +
      `${fmtInt(s.stateChanges)} state changes, ${fmtInt(s.contacts)} contacts, ${fmtInt(s.keys)} distinct LLM keys`,
  );
  if (s.skipped > 0) out.push(`skipped ${fmtInt(s.skipped)} invalid line(s)`);

  out.push('', 'Access depth of memory reads');
  out.push(
    textTable(
      ['depth', 'reads', 'share'],
      MEMORY_DEPTHS.map((d) => [d, fmtInt(s.accessDepthCounts[d]), fmtPct(s.accessDepth[d], 2)]),
    ),
  );

  out.push('', 'Op mix');
  out.push(textTable(['op', 'requests', 'share'], s.opMix.map((o) => [o.op, fmtInt(o.requests), fmtPct(o.fraction)])));
  out.push(
    `LLM requests: repeated-call rate ${fmtPct(s.repeatedCallRate)}, streaming ${fmtPct(s.streamingFraction)}, ` +
      `tool use ${fmtPct(s.toolUseFraction)} (both bypass the cache)`,
    `Tokens: ${fmtInt(s.tokens.in)} in, ${fmtInt(s.tokens.out)} out; ${fmtInt(s.keylessRequests)} request(s) without a key (never looked up in the application tiers); ` +
      `${fmtInt(s.promptPrefix.requests)} with a prompt prefix (${fmtInt(s.promptPrefix.blocks)} block ids, ${fmtInt(s.promptPrefix.segments)} segments)`,
  );

  const r = s.reuseDistance;
  out.push('', `Reuse distance (LLM requests since the previous request for the same key; p50 ${fmtInt(r.p50)}, p95 ${fmtInt(r.p95)}, p99 ${fmtInt(r.p99)})`);
  out.push(
    textTable(
      ['distance', 'reuses', 'share'],
      r.buckets.map((b) => [b.from === b.to ? String(b.from) : `${fmtInt(b.from)}–${fmtInt(b.to)}`, fmtInt(b.count), fmtPct(b.fraction)]),
    ),
  );
  out.push(`${fmtInt(r.firstRequests)} first requests (no earlier request for the key), ${fmtInt(r.reuses)} reuses`);

  out.push('', 'Inter-arrival times');
  out.push(
    textTable(
      ['between', 'count', 'mean', 'p50', 'p95', 'p99', 'p99.9', 'max'],
      [gapRow('requests', s.interArrivalMs), gapRow("a contact's messages", s.messageGapMs)],
    ),
  );

  const z = s.popularity.zipf;
  out.push(
    '',
    z
      ? `Key popularity: Zipf exponent ${z.exponent.toFixed(3)} (R² ${z.r2.toFixed(3)}, fitted on ${z.points} log-spaced ranks)`
      : 'Key popularity: too few keys for a Zipf fit',
  );
  if (s.popularity.top.length > 0)
    out.push(textTable(['top key', 'requests', 'share'], s.popularity.top.map((k) => [k.key, fmtInt(k.requests), fmtPct(k.share, 2)])));
  return out.join('\n') + '\n';
}
