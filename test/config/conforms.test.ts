/**
 * The fast validation path (src/config/conforms.ts over the JSON Schemas generated into
 * forms.generated.ts) accepts exactly what zod accepts, in both forms of the definition, and a
 * valid scenario is loaded and validated without loading zod at all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { defaultScenario } from '../../src/config.js';
import { compileSchema } from '../../src/config/conforms.ts';
import { SCENARIO_FORMS } from '../../src/config/forms.generated.ts';
import { scenarioDocument, scenarioFormsText, scenarioSchema } from '../../src/config/schema.ts';

test('src/config/forms.generated.ts is what the scenario definition gives (npm run schema rewrites it)', () => {
  assert.equal(readFileSync('src/config/forms.generated.ts', 'utf8'), scenarioFormsText());
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/** Every path to a value inside `v` (objects and arrays), the root excluded. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (!isObj(v)) return [];
  return Object.keys(v).flatMap((k) => {
    const p = [...at, Array.isArray(v) ? Number(k) : k];
    return [p, ...paths((v as Obj)[k], p)];
  });
}

/** A deep copy of `v` with the value at `path` replaced (`undefined`: deleted). */
function mutated(v: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v) as Obj;
  let node: Obj = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Obj;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const REPLACEMENTS: unknown[] = [undefined, null, -1, 0, 0.5, 1, 1.5, 3651, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'L1', '5m', 'lru', 'memory', true, [], [1], {}, { constant: 1 }, { p50: 1, p99: 2 }];

for (const [form, zodForm, bases] of [
  ['scenario', scenarioSchema, [defaultScenario()]],
  [
    'document',
    scenarioDocument,
    readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parseYaml(readFileSync(`scenarios/${f}`, 'utf8')) as unknown),
  ],
] as const) {
  test(`the fast check of the ${form} form accepts exactly what zod accepts, field by field`, () => {
    const conforms = compileSchema(SCENARIO_FORMS[form]);
    let compared = 0;
    for (const base of bases) {
      assert.equal(conforms(base), true);
      for (const path of paths(base)) {
        const values = [...REPLACEMENTS, { unknownField: 1 }];
        for (const value of values) {
          const v = mutated(base, path, value);
          assert.equal(conforms(v), zodForm.safeParse(v).success, `${form} ${path.join('.')} = ${JSON.stringify(value)}`);
          compared++;
        }
        // an unknown field next to a known one
        const parent = path.slice(0, -1);
        const v = mutated(base, [...parent, 'unknownField'], 1);
        assert.equal(conforms(v), zodForm.safeParse(v).success, `${form} ${parent.join('.')}.unknownField`);
      }
    }
    assert.ok(compared > 1000, `${compared} values compared`);
  });
}

test('a schema keyword the fast check does not know sends every value to zod', () => {
  assert.equal(compileSchema({ type: 'number', multipleOf: 2 })(4), false);
  assert.equal(compileSchema({ type: 'object', properties: { a: { $ref: '#/x' } } })({ a: 1 }), false);
});

test('a valid scenario file loads and validates without loading zod', () => {
  // The run fails if anything imports zod (statically or with import()).
  const hooks = `data:text/javascript,${encodeURIComponent("export async function resolve(s, c, next) { if (s === 'zod') throw new Error('zod loaded'); return next(s, c); }")}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hooks)});`)}`;
  const script = (file: string) =>
    `import { resolveScenario } from './src/config/load.ts'; try { resolveScenario({ scenario: ${JSON.stringify(file)}, leads: 10 }); console.log('valid'); } catch (e) { console.log(e.message); }`;
  const run = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', '--import', register, '--input-type=module', '-e', script(file)], { encoding: 'utf8' });
  const ok = run('scenarios/semantic.yaml');
  assert.equal(ok.stdout.trim(), 'valid', ok.stderr);
});
