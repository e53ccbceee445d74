/**
 * `gate run`: bench two revisions the right way for the gate. It builds nothing; each side is a
 * built checkout (a directory) or a command. Round r runs one single-trial bench of each side,
 * base first in odd rounds and head first in even ones, so machine drift hits both alike; every
 * round's result file is kept (for `gate` again, or `report`). Both sides share one embedded
 * PGlite (started here) unless the bench arguments or $DATABASE_URL name a Postgres.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, redact } from './errors.js';
import { pinnedArgv } from './core/placement.js';

export type Side = 'base' | 'head';

/** How to start one side's bench: `argv` runs directly; `shell` is a command line given by the user. */
export type SideCommand = { argv: string[] } | { shell: string };

/** One bench run of the plan. */
export interface PlannedRun {
  round: number;
  side: Side;
  /** Result file of this run. */
  out: string;
}

/**
 * A side given as DIR (a checkout: its built bin/llmcache.js, or its TypeScript sources through
 * its own tsx when it has no dist/) or as a command line that accepts bench's flags after it
 * (e.g. `node ../base/bin/llmcache.js bench`). Throws InputError for a directory that is neither.
 */
export function sideCommand(label: Side, spec: string): SideCommand {
  if (!existsSync(spec)) {
    if (/\s/.test(spec.trim())) return { shell: spec };
    throw new InputError(`--${label} ${spec}: no such directory; give a checkout of llmcache or a command such as "node DIR/bin/llmcache.js bench"`);
  }
  const dir = resolve(spec);
  if (existsSync(join(dir, 'dist', 'cli.js')) && existsSync(join(dir, 'bin', 'llmcache.js'))) return { argv: [process.execPath, join(dir, 'bin', 'llmcache.js'), 'bench'] };
  if (existsSync(join(dir, 'src', 'cli.ts')) && existsSync(join(dir, 'node_modules', 'tsx'))) {
    // A checkout without a build: its own sources through its own tsx (argv[1] stands in for the script).
    const entry = JSON.stringify(join(dir, 'src', 'cli.ts'));
    const run = `import(${entry}).then((m) => m.main(process.argv)).then((c) => (process.exitCode = c))`;
    // Its own tsx, by URL: a bare `tsx` would resolve from the current directory instead.
    const tsx = pathToFileURL(createRequire(join(dir, 'package.json')).resolve('tsx')).href;
    return { argv: [process.execPath, '--import', tsx, '--input-type=module', '-e', run, 'llmcache', 'bench'] };
  }
  throw new InputError(`--${label} ${spec}: not a built llmcache checkout (no dist/cli.js; run \`npm ci && npm run build\` there)`);
}

/** Rounds 1..n, base first in odd rounds and head first in even ones; files base-01.json, head-01.json, … */
export function roundPlan(rounds: number, outDir: string): PlannedRun[] {
  const plan: PlannedRun[] = [];
  for (let r = 1; r <= rounds; r++) {
    const order: Side[] = r % 2 === 1 ? ['base', 'head'] : ['head', 'base'];
    for (const side of order) plan.push({ round: r, side, out: join(outDir, `${side}-${String(r).padStart(2, '0')}.json`) });
  }
  return plan;
}

/** Run one bench (on the CPUs `cpus` when given); resolves with its exit code and the last lines of its stderr. */
export function runSide(cmd: SideCommand, args: string[], env: NodeJS.ProcessEnv = process.env, cpus?: string): Promise<{ code: number; stderr: string }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const argv = pinnedArgv('argv' in cmd ? [...cmd.argv, ...args] : ['sh', '-c', `${cmd.shell} ${quoted}`], cpus);
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  return new Promise((ok, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => ok({ code: code ?? (signal ? 128 : 70), stderr }));
  });
}

export interface GateRunOptions {
  base: string;
  head: string;
  rounds: number;
  outDir: string;
  /** Flags for every bench run (after the side's command), e.g. --requests 2000 --scenario FILE. */
  benchArgs: string[];
  onProgress?: (msg: string) => void;
  /** Called with the two files of round 1: refuse early (InputError) what the gate would refuse at the end. */
  checkFirstRound?: (base: string, head: string) => void;
  /** Run every bench on these CPUs (taskset syntax), apart from the servers (core/placement.ts). */
  clientCpus?: string;
}

/** Run every round; the result files per side. A bench that fails makes that side unreadable (InputError). */
export async function runRounds(o: GateRunOptions, env: NodeJS.ProcessEnv = process.env): Promise<Record<Side, string[]>> {
  if (!(Number.isInteger(o.rounds) && o.rounds >= 1)) throw new InputError(`--rounds: expected a whole number ≥ 1, got ${o.rounds}`);
  const cmds: Record<Side, SideCommand> = { base: sideCommand('base', o.base), head: sideCommand('head', o.head) };
  mkdirSync(o.outDir, { recursive: true });
  const files: Record<Side, string[]> = { base: [], head: [] };
  for (const run of roundPlan(o.rounds, o.outDir)) {
    o.onProgress?.(`round ${run.round}/${o.rounds}: ${run.side}`);
    const r = await runSide(cmds[run.side], [...o.benchArgs, '--trials', '1', '--out', run.out, '--force'], env, o.clientCpus);
    if (r.code !== 0) {
      const why = reasonLine(r.stderr);
      throw new InputError(`${run.side} could not be benchmarked (round ${run.round}, exit ${r.code})${why ? `: ${redact(why)}` : ''}`);
    }
    files[run.side].push(run.out);
    if (run.round === 1 && files.base.length === 1 && files.head.length === 1) o.checkFirstRound?.(files.base[0]!, files.head[0]!);
  }
  return files;
}

/** The line of a failed bench's stderr that says why: its own error line, else the first error, else the last line. */
function reasonLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => l.startsWith('llmcache: ')).pop() ?? lines.find((l) => /Error\b/.test(l)) ?? lines.pop() ?? '';
}
