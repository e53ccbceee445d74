/**
 * Freshness policies (issue 5): velocity-adaptive TTL and refresh-on-hit.
 *
 * A contact's conversation velocity is an exponentially weighted mean of the gaps between its
 * messages, expressed in messages per hour. A fast conversation changes the contact's state
 * sooner (state changes arrive per message), so its entries should live shorter:
 *   ttl = base × clamp((refPerHour / velocity)^exponent, minFactor, maxFactor)
 * exponent 0 gives the fixed TTL; exponent 1 keeps "messages per TTL" constant.
 */
import type { AdaptiveTtlConfig, TierConfig } from '../config.js';

const HOUR_MS = 3_600_000;

/** Per-contact EWMA of message gaps (ms); allocation-free after construction (grows on demand). */
export class VelocityTracker {
  private last: Float64Array;
  private gap: Float64Array;

  constructor(
    contacts: number,
    /** Weight of the newest gap (0..1). */
    readonly alpha = 0.5,
    /** Gap assumed before a contact's second message (ms): one message per hour. */
    readonly initialGapMs = HOUR_MS,
  ) {
    this.last = new Float64Array(Math.max(16, contacts)).fill(-1);
    this.gap = new Float64Array(this.last.length).fill(initialGapMs);
  }

  /** Record a message of `contact` at `t` (ms). */
  onMessage(contact: number, t: number): void {
    if (contact < 0) return;
    if (contact >= this.last.length) this.grow(contact);
    const prev = this.last[contact]!;
    if (prev >= 0) {
      const g = Math.max(1000, t - prev); // 1 s floor: a burst of simultaneous messages is not infinite speed
      this.gap[contact] = this.alpha * g + (1 - this.alpha) * this.gap[contact]!;
    }
    this.last[contact] = t;
  }

  /** Messages per hour of `contact` at time `t`: the EWMA gap, stretched by the silence since the last message. */
  perHour(contact: number, t: number): number {
    if (contact < 0 || contact >= this.last.length) return HOUR_MS / this.initialGapMs;
    const last = this.last[contact]!;
    const silence = last >= 0 ? t - last : 0;
    return HOUR_MS / Math.max(this.gap[contact]!, silence, 1000);
  }

  private grow(contact: number): void {
    let n = this.last.length;
    while (n <= contact) n *= 2;
    const l = new Float64Array(n).fill(-1);
    l.set(this.last);
    const g = new Float64Array(n).fill(this.initialGapMs);
    g.set(this.gap);
    this.last = l;
    this.gap = g;
  }
}

/** The adaptive TTL (ms) for a base TTL (ms) at a velocity (messages per hour). */
export function adaptiveTtlMs(baseMs: number, perHour: number, a: AdaptiveTtlConfig): number {
  if (a.exponent === 0) return baseMs;
  const factor = Math.pow(a.refPerHour / Math.max(perHour, 1e-9), a.exponent);
  return baseMs * Math.min(a.maxFactor, Math.max(a.minFactor, factor));
}

/** Whether any tier's TTL follows the contact's message velocity (the run then tracks every message). */
export function velocityAdaptive(tiers: readonly TierConfig[]): boolean {
  return tiers.some((t) => t.adaptiveTtl !== null && t.adaptiveTtl.exponent !== 0);
}
