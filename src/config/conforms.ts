/**
 * The fast path of scenario validation (docs/architecture.md, "Scenario files"): does a value
 * conform to the JSON Schema that zod generates from the one scenario definition (schema.ts,
 * generated into forms.generated.ts by `npm run schema`)? Only the keywords that generator emits
 * are understood, each read as strictly as zod reads its check; a schema with any other keyword
 * conforms nothing, so an unknown construct sends every value to zod. A value that conforms is
 * one zod accepts; zod (validate.ts, explain.ts) is loaded only to say why a value does not.
 */

/** A JSON Schema node as the generator writes it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

type Check = (v: unknown) => boolean;

const never: Check = () => false;
const isObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const TYPES: Record<string, Check> = {
  object: isObject,
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isSafeInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

/** Keywords that only annotate. */
const ANNOTATIONS = new Set(['$schema', 'description']);

/** A predicate for `schema`; `never` when it holds a keyword this reader does not know. */
export function compileSchema(schema: JsonSchema): Check {
  const checks: Check[] = [];
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const c = keywordCheck(keyword, arg, schema);
    if (c === null) return never;
    if (c !== undefined) checks.push(c);
  }
  return (v) => {
    for (const c of checks) if (!c(v)) return false;
    return true;
  };
}

/** The check of one keyword: a predicate, undefined when another keyword checks it, null when unknown. */
function keywordCheck(keyword: string, arg: unknown, schema: JsonSchema): Check | null | undefined {
  switch (keyword) {
    case 'type': {
      const types = (Array.isArray(arg) ? arg : [arg]).map((t) => TYPES[String(t)]);
      if (types.some((t) => t === undefined)) return null;
      return (v) => types.some((t) => t!(v));
    }
    case 'enum':
      return Array.isArray(arg) ? (v) => arg.includes(v) : null;
    case 'minimum':
      return typeof arg === 'number' ? (v) => typeof v === 'number' && v >= arg : null;
    case 'maximum':
      return typeof arg === 'number' ? (v) => typeof v === 'number' && v <= arg : null;
    case 'minLength':
      return typeof arg === 'number' ? (v) => typeof v === 'string' && v.length >= arg : null;
    case 'pattern': {
      if (typeof arg !== 'string') return null;
      const re = new RegExp(arg);
      return (v) => typeof v === 'string' && re.test(v);
    }
    case 'minItems':
      return typeof arg === 'number' ? (v) => Array.isArray(v) && v.length >= arg : null;
    case 'items': {
      if (!isObject(arg)) return null;
      const item = compileSchema(arg);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!item(v[i])) return false; // a hole too, as zod reads it
        return true;
      };
    }
    case 'anyOf': {
      if (!Array.isArray(arg)) return null;
      const options = arg.map((s) => (isObject(s) ? compileSchema(s) : never));
      return (v) => options.some((o) => o(v));
    }
    case 'propertyNames': {
      if (!isObject(arg)) return null;
      const name = compileSchema(arg);
      return (v) => isObject(v) && Object.keys(v).every(name);
    }
    case 'required':
      return Array.isArray(arg) ? (v) => isObject(v) && arg.every((k) => Object.hasOwn(v, k) && v[k] !== undefined) : null;
    case 'properties':
      return isObject(arg) ? objectCheck(arg, schema.additionalProperties) : null;
    case 'additionalProperties':
      // checked with `properties` when the schema has them
      return 'properties' in schema ? undefined : objectCheck({}, arg);
    default:
      return null;
  }
}

/**
 * An object's fields: each named one (absent or undefined when not required, as zod's optional
 * fields) against its schema, every other against `additional` (false: none allowed).
 */
function objectCheck(properties: Record<string, unknown>, additional: unknown): Check | null {
  const fields = new Map<string, Check>();
  for (const [k, s] of Object.entries(properties)) fields.set(k, isObject(s) ? compileSchema(s) : never);
  let other: Check | null;
  if (additional === undefined || additional === true) other = null;
  else if (additional === false) other = never;
  else if (isObject(additional)) other = compileSchema(additional);
  else return null;
  // JSON Schema allows any other field by default; zod's objects here are all strict, so an
  // unspecified `additionalProperties` is read as false (stricter, never wrongly accepting).
  if (other === null) other = never;
  return (v) => {
    if (!isObject(v)) return false;
    for (const k of Object.keys(v)) {
      const x = v[k];
      const f = fields.get(k);
      if (f !== undefined) {
        if (x !== undefined && !f(x)) return false;
      } else if (!other!(x)) return false;
    }
    return true;
  };
}
