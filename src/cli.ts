/**
 * Command-line wiring only: flags -> options -> engine -> reporter -> exit code.
 * Each command lives in src/commands/<name>.ts and exports `register(program)`.
 */
import { Command, CommanderError } from 'commander';
import { CheckFailed, InputError, redact } from './errors.js';
import { ScenarioError } from './config.js';
import { register as registerSimulate } from './commands/simulate.js';
import { register as registerGate } from './commands/gate.js';
import { register as registerReport } from './commands/report.js';
import { register as registerReplay } from './commands/replay.js';
import { register as registerMrc } from './commands/mrc.js';
import { register as registerTrace } from './commands/trace.js';
import { register as registerSweep } from './commands/sweep.js';
import { register as registerBench } from './commands/bench.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('llmcache')
    .description('What a multi-tier cache in front of your LLM calls will do, before you build it and after.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerSimulate(program);
  registerGate(program);
  registerReport(program);
  registerReplay(program);
  registerMrc(program);
  registerTrace(program);
  registerSweep(program);
  registerBench(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return exitCodeFor(e);
  }
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    return 2;
  }
  if (e instanceof InputError || e instanceof ScenarioError) {
    process.stderr.write(`llmcache: ${redact(e.message)}\n`);
    return 2;
  }
  if (e instanceof CheckFailed) {
    process.stderr.write(`llmcache: ${redact(e.message)}\n`);
    return 1;
  }
  process.stderr.write(`llmcache: internal error: ${redact(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
  return 70;
}
