/**
 * Child processes of the bench (worker processes, the embedded PGlite server): where their entry
 * modules are, and how to stop one without hanging on it.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the child entry `name` in src/bench (.ts under tsx, .js when built). */
export function benchChildEntry(name: string): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`../bench/${name}${extension}`, import.meta.url));
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

/**
 * The parent's Node options for a forked child, without those that name the parent's own entry
 * (`-e`/`--eval`/`-p`/`--print` with their code, `--input-type`): a child started from
 * `node --input-type=module -e …` must run its own entry module, not the parent's code.
 */
export function childExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const a = parent[i]!;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') {
      i++; // and its code
      continue;
    }
    if (a.startsWith('--eval=') || a.startsWith('--print=') || a.startsWith('--input-type')) continue;
    out.push(a);
  }
  return out;
}
