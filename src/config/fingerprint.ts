/** The fingerprint of what a scenario measures: results with different fingerprints are not comparable. */
import { createHash } from 'node:crypto';
import type { Scenario } from './model.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Stable JSON with sorted object keys. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Fingerprint of what a scenario measures (everything but seed, name and description): results with different
 * fingerprints are not comparable. sha256, first 16 hex chars.
 */
export function scenarioFingerprint(s: Scenario): string {
  const { seed: _seed, name: _name, description: _description, ...rest } = s;
  return createHash('sha256').update(stableStringify(rest)).digest('hex').slice(0, 16);
}
