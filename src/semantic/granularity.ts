/**
 * Component granularity (issue 5, the article's lesson 3): instead of caching a whole score, cache
 * its components (e.g. FRS, PCS, intent signals) separately and recompose the score from them.
 *
 * A scenario opts in by declaring ops with `componentOf: score`. This event-source wrapper then
 * replaces every request of the parent op by one request per component, on the same trace. A
 * component's key depends only on the placeholders of its own key template, so a component that
 * does not depend on the latest message survives new messages:
 *   {contact}                          the contact
 *   {messageHash} {conversationHash}   the parent request's key (changes with every message)
 *   {stateVersion} {temperature}       the entity version the parent depends on
 *   {date} {day}                       the day of the request
 *   {hour}                             the hour of the request
 * Recomposition is code, not a model call: it costs nothing. Whether a component is served from
 * cache is still decided by the tiers.
 */
import type { Scenario } from '../config.js';
import { InputError } from '../errors.js';
import { OP_STRIDE } from '../trace/generator.js';
import { copyEvent, EVENT_REQUEST, newSimEvent, type EventSource, type SimEvent } from '../trace/types.js';
import type { VectorSource } from '../trace/vectors.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_UNIQUE = 2 ** 53 / OP_STRIDE;

/** What a component's key is made of. */
interface Component {
  op: number;
  contact: boolean;
  message: boolean;
  version: boolean;
  day: boolean;
  hour: boolean;
  tokensIn: number;
  tokensOut: number;
  dependsOnContact: boolean;
}

function parse(template: string, op: number, tokensIn: number, tokensOut: number, dependsOnContact: boolean): Component {
  const has = (...names: string[]) => names.some((n) => template.includes(`{${n}}`));
  return {
    op,
    contact: has('contact'),
    message: has('messageHash', 'conversationHash'),
    version: has('stateVersion', 'temperature'),
    day: has('date', 'day'),
    hour: has('hour'),
    tokensIn,
    tokensOut,
    dependsOnContact,
  };
}

/** Key id of a component request built from the parent request `ev` (deterministic, collision-free per op). */
function componentKey(c: Component, ev: SimEvent): number {
  // Mixed-radix digits, inline (this runs once per component request).
  let u = c.message ? ev.key + 1 : c.contact ? ev.contact + 1 : 0; // the parent key already identifies contact and message
  if (c.version) u = u * 256 + Math.max(0, ev.version);
  if (c.day) u = u * 8192 + Math.floor(ev.t / DAY_MS);
  if (c.hour) u = u * 24 + (Math.floor(ev.t / HOUR_MS) % 24);
  if (!(u < MAX_UNIQUE)) throw new InputError(`component op #${c.op}: key space exhausted; simplify its key template`);
  return c.op + OP_STRIDE * u;
}

/**
 * Wrap `source` so every request of a decomposed op becomes its component requests. Returns the
 * source unchanged when the scenario declares no components.
 */
export function withComponents(scenario: Scenario, source: EventSource & { opNames?: string[] }): EventSource & { opNames?: string[] } {
  const names = source.opNames ?? Object.keys(scenario.ops);
  const byParent = new Map<number, Component[]>();
  names.forEach((name, i) => {
    const o = scenario.ops[name];
    if (!o?.componentOf) return;
    const parent = names.indexOf(o.componentOf);
    if (parent < 0) return;
    const list = byParent.get(parent) ?? [];
    list.push(parse(o.key, i, o.tokensIn, o.tokensOut, o.dependsOn === 'contact'));
    byParent.set(parent, list);
  });
  if (byParent.size === 0) return source;
  const parents: (Component[] | undefined)[] = names.map((_, i) => byParent.get(i));
  const vectorOf = (source as Partial<VectorSource>).vectorOf?.bind(source);
  const parentEv = newSimEvent();
  let queue: Component[] | undefined;
  let next = 0;
  const next_ = (ev: SimEvent): boolean => {
    if (queue === undefined || next >= queue.length) {
      queue = undefined;
      if (!source.next(ev)) return false;
      const list = ev.kind === EVENT_REQUEST && ev.op >= 0 ? parents[ev.op] : undefined;
      if (list === undefined) return true;
      copyEvent(ev, parentEv);
      queue = list;
      next = 0;
    }
    const c = queue[next++]!;
    copyEvent(parentEv, ev);
    ev.op = c.op;
    ev.key = componentKey(c, parentEv);
    ev.tokensIn = c.tokensIn;
    ev.tokensOut = c.tokensOut;
    if (!c.dependsOnContact) {
      ev.entity = -1;
      ev.version = 0;
    }
    return true;
  };
  return {
    next: next_,
    get contacts() {
      return source.contacts;
    },
    get entities() {
      return source.entities;
    },
    spanMs: () => source.spanMs(),
    opNames: names,
    ...(vectorOf && { vectorOf }),
  };
}
