/** The environment a bench ran in (docs/architecture.md, "Contracts"): node, CPU, OS, backend versions, git revision. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { BenchEnv } from '../model/results.js';
import type { TierAdapter } from '../tiers/adapter.js';

/** Git revision of the working directory (with `-dirty` when modified), or undefined. */
export function gitRevision(cwd = process.cwd()): string | undefined {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim();
    return dirty ? `${rev}-dirty` : rev;
  } catch {
    return undefined;
  }
}

/** Collect the environment; backend versions come from the connected adapters. */
export async function collectEnv(adapters: TierAdapter[]): Promise<BenchEnv> {
  const cpus = os.cpus();
  const env: BenchEnv = {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
  for (const a of adapters) {
    try {
      Object.assign(env, await a.info());
    } catch {
      /* a version we cannot read is left out */
    }
  }
  const git = gitRevision();
  if (git) env.git = git;
  return env;
}
