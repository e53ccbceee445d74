/**
 * Why a scenario value does not conform (docs/architecture.md, "Scenario files"): zod's issues
 * against the scenario definition (schema.ts) as one `path: message` line per wrong field, an
 * unknown field naming the nearest valid one. validate.ts loads this module (and zod) only for a
 * value the fast check (conforms.ts) did not accept.
 */
import { z } from 'zod';
import { editDistance } from '../prices/catalog.js';
import { LATENCY_MODEL_DESCRIPTION, scenarioDocument, scenarioSchema } from './schema.js';
import { show, showPath } from './rules.js';

/** One problem per wrong field of `value` in the `form` of the definition; [] when zod accepts it. */
export function explain(form: 'document' | 'scenario', value: unknown): string[] {
  return problems(form === 'document' ? scenarioDocument : scenarioSchema, value);
}

const ARTICLE: Record<string, string> = { number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'an object', array: 'an array', record: 'an object' };

function problems(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return [];
  const out: string[] = [];
  for (const issue of r.error.issues) {
    const path = showPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) out.push(`${showPath([...issue.path, key])}: unknown field${suggest(key, known)}`);
    } else if (issue.code === 'invalid_union') out.push(`${path}: expected ${LATENCY_MODEL_DESCRIPTION}`);
    else if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) out.push(`${path}: expected a non-empty string, got ${show(issue.input)}`);
    else if (issue.code === 'too_small' && issue.origin === 'array') out.push(`${path}: expected at least ${issue.minimum} item(s)`);
    else if (issue.code === 'too_small') out.push(`${path}: must be >= ${issue.minimum}, got ${show(issue.input)}`);
    else if (issue.code === 'too_big') out.push(`${path}: must be <= ${issue.maximum}, got ${show(issue.input)}`);
    else if (issue.code === 'invalid_value') out.push(`${path}: expected one of ${issue.values.join(' | ')}, got ${show(issue.input)}`);
    else if (issue.code === 'invalid_type') out.push(`${path}: expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${show(issue.input)}`);
    else if (issue.code === 'invalid_format') out.push(`${path}: ${issue.message}, got ${show(issue.input)}`);
    else if (issue.code === 'invalid_key') out.push(`${path}: ${issue.issues[0]?.message ?? issue.message}`);
    else out.push(`${path}: ${issue.message}`);
  }
  return out;
}

/** Field names allowed at `path` in the document. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = scenarioDocument;
  for (const p of path) {
    node = unwrap(node);
    if (node instanceof z.ZodObject) node = node.shape[String(p)] ?? node;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType): z.ZodType {
  while (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap() as z.ZodType;
  return node;
}

/** ` (did you mean leads?)` for the closest known name, else the list of known names. */
function suggest(key: string, known: string[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  if (best !== '' && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return ` (did you mean ${best}?)`;
  return known.length > 0 ? ` (known: ${known.join(', ')})` : '';
}
