/**
 * Child processes of the bench (worker processes, the embedded PGlite server): where their entry
 * modules are, and how to stop one without hanging on it.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the child entry `name` in src/bench (.ts under tsx, .js when built). */
export function benchChildEntry(name: string): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
}

/** Ask a child to stop (`ask`), wait for its exit, SIGKILL it after `graceMs`. */
export function stopChild(child: ChildProcess, ask: () => void, graceMs = 3000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    ask();
  });
}
