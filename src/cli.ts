/**
 * Command-line wiring only: flags -> options -> engine -> reporter -> exit code.
 * Each command lives in src/commands/<name>.ts and exports `register(program)`.
 */
import { output } from './output.js';
import { Command, CommanderError } from 'commander';
import { CheckFailed, InputError, redact } from './errors.js';
import { ScenarioError } from './config.js';
/** A command module: `register` adds the command, its flags and its action to the program. */
interface CommandModule {
  register(program: Command): void;
}

/**
 * The command registry. Modules load lazily: `llmcache simulate` never loads the Redis, Postgres
 * or faker code the other commands need, which keeps start-up well under 100 ms.
 */
const COMMANDS = new Map<string, () => Promise<CommandModule>>([
  ['simulate', () => import('./commands/simulate.js')],
  ['bench', () => import('./commands/bench.js')],
  ['gate', () => import('./commands/gate.js')],
  ['sweep', () => import('./commands/sweep.js')],
  ['trace', () => import('./commands/trace.js')],
  ['replay', () => import('./commands/replay.js')],
  ['mrc', () => import('./commands/mrc.js')],
  ['report', () => import('./commands/report.js')],
  ['prices', () => import('./commands/prices.js')],
]);

export async function main(argv: string[]): Promise<number> {
  const program = new Command('llmcache')
    .description('What a multi-tier cache in front of your LLM calls will do, before you build it and after.')
    .version('0.1.0')
    .showHelpAfterError()
    // Options after a subcommand belong to it (`gate run --json`), never to a parent with the same flag.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => output.stdout(s), writeErr: (s) => output.stderr(s) })
    .exitOverride();
  const named = argv[2] !== undefined && COMMANDS.has(argv[2]) ? [argv[2]] : [...COMMANDS.keys()];
  for (const name of named) (await COMMANDS.get(name)!()).register(program);
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
    output.stderr(`llmcache: ${redact(e.message)}\n`);
    return 2;
  }
  if (e instanceof CheckFailed) {
    output.stderr(`llmcache: ${redact(e.message)}\n`);
    return 1;
  }
  output.stderr(`llmcache: internal error: ${redact(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
  return 70;
}
