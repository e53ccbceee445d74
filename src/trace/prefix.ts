/**
 * Names and ids of prompt-prefix segments in the trace format (docs/trace-format.md, "Prompt
 * prefix"): the roles a segment may have, and the 53-bit id a string segment id is read as.
 * Readers and writers of traces use them; src/promptcache/ turns segments into block ids.
 */

/** Segment roles of the trace format (`name`); anything else is `other`. */
export const SEGMENT_ROLES = ['system', 'history', 'message', 'other'] as const;
export type SegmentRole = (typeof SEGMENT_ROLES)[number];
export const ROLE_OTHER = 3;

export function roleIndex(name: string | undefined): number {
  const i = name === undefined ? -1 : (SEGMENT_ROLES as readonly string[]).indexOf(name);
  return i < 0 ? ROLE_OTHER : i;
}

const TWO32 = 2 ** 32;

/** A 53-bit hash of a string segment id (two FNV-1a lanes). */
export function stringId(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (b & 0x1fffff) * TWO32 + (a >>> 0);
}
