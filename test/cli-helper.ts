/** Run the CLI in-process and capture what it printed (through src/output.ts). */
import { main } from '../src/cli.js';
import { output } from '../src/output.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Run `llmcache ...args` with extra environment variables; restores output, env and exitCode.
 * stderr is not a terminal unless `opts.tty` (so no `\r` progress unless a test asks for it).
 */
export async function runCli(args: string[], env: Record<string, string> = {}, opts: { tty?: boolean } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const saved = { ...output };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  output.stdout = (s) => void (out += s);
  output.stderr = (s) => void (err += s);
  output.stderrIsTTY = () => opts.tty === true;
  try {
    const code = await main(['node', 'llmcache', ...args]);
    return { code, out, err };
  } finally {
    Object.assign(output, saved);
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
