/** Run the CLI in-process and capture what it printed (through src/output.ts). */
import { main } from '../src/cli.js';
import { output } from '../src/output.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const saved = { ...output };
  output.stdout = (s) => void (out += s);
  output.stderr = (s) => void (err += s);
  try {
    const code = await main(['node', 'llmcache', ...args]);
    return { code, out, err };
  } finally {
    Object.assign(output, saved);
    process.exitCode = undefined;
  }
}
