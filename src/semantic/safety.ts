/**
 * Bypass safety (issue 5): streaming and tool-use requests must never be served from a cache
 * (a streamed answer cannot be replayed; a tool call depends on external state). The policy
 * bypasses them before any lookup; this guard proves it on every hit, and a violation fails the
 * run with exit 1 naming the request.
 */
import { CheckFailed } from '../errors.js';
import type { SimEvent } from '../trace/types.js';

/** Throw CheckFailed when a hit is served to a streaming or tool-use request. Allocation-free when fine. */
export function assertNotBypassed(ev: SimEvent, tierName: string, opNames: readonly string[]): void {
  if (!ev.stream && !ev.toolUse) return;
  // The op's name is looked up only here, when the check fails: the check runs on every hit.
  const opName = opNames[ev.op] ?? String(ev.op);
  const why = ev.stream ? 'streaming' : 'tool-use';
  throw new CheckFailed(
    `bypass safety: tier ${tierName} served a hit to a ${why} request ` +
      `(op ${opName}, contact #${ev.contact}, key #${ev.key}, t=${ev.t} ms); such requests must bypass every tier`,
  );
}
