/**
 * Removing what a trial wrote to the shared tiers (Redis keys under its prefix, its Postgres
 * table). A backend that is recovering — a Redis Cluster promoting a replica after a master
 * died — is retried until it answers or `withinMs` has passed; what could not be removed is
 * reported with the exact command that removes it.
 */
import type { TierConfig } from '../config.js';
import { redact } from '../errors.js';
import type { AdapterOptions, TierAdapter } from '../tiers/adapter.js';
import { createTier, leftoverCommand } from '../tiers/registry.js';

export interface CleanupOptions {
  /** Keep the data (`--keep`): connect (for `onConnected`) but remove nothing. */
  keep: boolean;
  /** Retry a failing tier until this long (ms) has passed since its first attempt. */
  withinMs: number;
  /** Pause between attempts (ms). */
  retryMs?: number;
  /** Called with each connected adapter before its clean-up (the run reads backend versions). */
  onConnected?: (a: TierAdapter) => Promise<void>;
}

/**
 * Remove what trial `o.runId` wrote to each of `tiers` (memory tiers hold nothing outside the
 * process). Returns a warning per tier whose clean-up did not finish.
 */
export async function removeTrialData(tiers: readonly TierConfig[], o: AdapterOptions, c: CleanupOptions): Promise<string[]> {
  const warnings: string[] = [];
  const retryMs = c.retryMs ?? 250;
  for (const t of tiers.filter((x) => x.kind !== 'memory')) {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let a: TierAdapter | undefined;
      try {
        a = await createTier(t, o);
        await c.onConnected?.(a);
        if (!c.keep) await a.cleanup();
        break;
      } catch (e) {
        if (Date.now() - started + retryMs <= c.withinMs) {
          await new Promise((r) => setTimeout(r, retryMs));
          continue;
        }
        const cmd = await leftoverCommand(t, o);
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        warnings.push(`clean-up of ${o.runId} ${t.name} failed (${attempt} attempts over ${secs} s; last: ${lastError(e)})${cmd ? `; remove what is left with: ${cmd}` : ''}`);
        break;
      } finally {
        await a?.close();
      }
    }
  }
  return warnings;
}

/** The error's first sentence, without the "how to start one" advice meant for a run's start. */
function lastError(e: unknown): string {
  return redact((e as Error).message).replace(/; start one with .*$/s, '');
}
