/**
 * Validation against the scenario definition (schema.ts): a value that conforms to the JSON
 * Schemas generated from it (conforms.ts, forms.generated.ts) is accepted without loading zod;
 * any other is explained by zod (explain.ts) as one `path: message` line per wrong field.
 */
import { createRequire } from 'node:module';
import type { Scenario } from './model.js';
import { compileSchema } from './conforms.js';
import { SCENARIO_FORMS } from './forms.generated.js';
import { scenarioRules, showPath } from './rules.js';

/** A scenario that failed validation; `problems` lists `path: message` lines. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the scenario:\n  - ${problems.join('\n  - ')}`);
  }
}

type Form = keyof typeof SCENARIO_FORMS;
const conforming: Partial<Record<Form, (v: unknown) => boolean>> = {};
const loadModule = createRequire(import.meta.url);

/** One problem per wrong field of `value` in `form`: none when it conforms, else zod's account (zod loads only then). */
function problems(form: Form, value: unknown): string[] {
  const conforms = (conforming[form] ??= compileSchema(SCENARIO_FORMS[form]));
  if (conforms(value)) return [];
  return (loadModule('./explain.js') as typeof import('./explain.js')).explain(form, value);
}

/** One problem per wrong field of a scenario document (before defaults), as `path: message`. */
export function documentProblems(doc: unknown): string[] {
  return problems('document', doc);
}

/** One problem per wrong field of a complete scenario, the rules between fields included. */
export function scenarioProblems(s: Scenario): string[] {
  return [...problems('scenario', s), ...scenarioRules(s).map((r) => `${showPath(r.path)}: ${r.message}`)];
}

/** Throws a ScenarioError naming `source` unless `s` is a valid complete scenario. */
export function validateScenario(s: Scenario, source: string): void {
  const found = scenarioProblems(s);
  if (found.length > 0) throw new ScenarioError(source, found);
}

/** Lists merged so that a field appears once, with its first message. */
export function onePerField(...lists: string[][]): string[] {
  const seen = new Set<string>();
  return lists.flat().filter((p) => {
    const path = p.slice(0, p.indexOf(': '));
    if (seen.has(path)) return false;
    seen.add(path);
    return true;
  });
}
