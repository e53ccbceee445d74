/**
 * What a run's figures rest on: which were measured from a recorded trace and which come from the
 * scenario (ASSUMED). A trace of arrival times and token counts (Azure, BurstGPT) measures the
 * load and the no-cache bill; only keys measure what the application tiers can serve, and only
 * prompt prefixes what the provider's prompt cache can.
 */
import type { Scenario } from '../config.js';
import type { Provenance } from '../model/results.js';

export interface TraceFacts {
  /** LLM requests, and how many of them had no key, a prompt prefix, a model of their own. */
  requests: number;
  keyless: number;
  withPrefix: number;
  withModel: number;
  forcedModel?: string;
}

export function provenance(s: Scenario, recorded: boolean, f: TraceFacts): Provenance {
  if (!recorded)
    return {
      source: 'synthetic',
      measured: [],
      assumed: ['the whole workload (synthetic generator of the scenario)', 'tier configuration, TTLs and latency models', 'model prices', 'provider prompt cache settings'],
    };
  const measured = ['arrival times', 'input and output tokens per request'];
  const assumed = ['LLM latency (the scenario op latency model)', 'tier configuration and TTLs'];
  const all = (n: number) => n === f.requests && n > 0;
  if (f.keyless < f.requests) measured.push(`cache keys (${f.requests - f.keyless} of ${f.requests} LLM requests): what the application tiers can serve`);
  if (f.keyless > 0) assumed.push(`${f.keyless} LLM request(s) without a key are never looked up in the application tiers (nothing in the trace says two of them share an answer)`);
  if (f.withPrefix > 0) measured.push(`prompt prefixes (${all(f.withPrefix) ? 'every' : `${f.withPrefix} of ${f.requests}`} LLM request${all(f.withPrefix) ? '' : 's'}): what the provider prompt cache can serve`);
  if (f.withPrefix < f.requests) assumed.push(`${f.requests - f.withPrefix} LLM request(s) without a prompt prefix: the provider prompt cache serves none of their tokens`);
  if (f.forcedModel) assumed.push(`every request priced as ${f.forcedModel} (--model)`);
  else if (f.withModel > 0) measured.push(`the model of ${all(f.withModel) ? 'every' : `${f.withModel} of ${f.requests}`} request${all(f.withModel) ? '' : 's'}`);
  if (!f.forcedModel && f.withModel < f.requests) assumed.push("the model of requests that name none (the op's model)");
  assumed.push('model prices (price catalog or scenario)', `provider prompt cache: TTL ${s.promptCache.ttl}, minimum prefix, block size ${s.promptCache.blockTokens} tokens for segment prefixes`);
  return { source: 'trace', measured, assumed };
}
