import { closeSync, openSync, writeSync } from 'node:fs';
import type { TestContext } from 'node:test';

/**
 * Report a timing- or load-dependent measurement next to the bound its test asserts, as a TAP
 * diagnostic (`# measured NAME VALUE OP BOUND`). `scripts/test-spread.mjs` runs such tests many
 * times under load and prints each measurement's spread against its bound, so a bound is set from
 * data, not hope.
 */
export function measured(t: TestContext, name: string, value: number, op: '<' | '<=' | '>=' | '>', bound: number): void {
  t.diagnostic(`measured ${name} ${value} ${op} ${bound}`);
}

/**
 * Write `bytes` bytes of `fill` to `path` one MiB at a time, so a memory test's baseline does not
 * include (and later lose to the collector) a buffer as large as the file.
 */
export function writeFilled(path: string, bytes: number, fill: number): string {
  const chunk = Buffer.alloc(1 << 20, fill);
  const fd = openSync(path, 'w');
  try {
    for (let left = bytes; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(left, chunk.length));
  } finally {
    closeSync(fd);
  }
  return path;
}
