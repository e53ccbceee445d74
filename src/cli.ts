/**
 * Command-line wiring only: flags -> options -> engine -> reporter -> exit code.
 * Each command lives in src/commands/<name>.ts and exports `register(program)`.
 */
import { output } from './output.js';
import { Command, CommanderError } from 'commander';
import { CheckFailed, InputError, redact } from './errors.js';
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
    // Options after a subcommand belong to it (`gate run --json`), never to a parent with the same flag.
    .enablePositionalOptions()
    // A usage error is one line (printed by usageError), not the whole help after it.
    .configureOutput({ writeOut: (s) => output.stdout(s), writeErr: (s) => output.stderr(s), outputError: () => {} })
    .exitOverride();
  const named = argv[2] !== undefined && COMMANDS.has(argv[2]) ? [argv[2]] : [...COMMANDS.keys()];
  for (const name of named) (await COMMANDS.get(name)!()).register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // the scenario model (yaml, zod) loads only to classify an error: replay and mrc never need it
    const { ScenarioError } = await import('./config.js');
    return exitCodeFor(e, argv, ScenarioError);
  }
}

/** The command line's command (`simulate`, `trace stats`), for messages; '' when there is none. */
function commandName(argv: string[]): string {
  const name = argv[2] !== undefined && COMMANDS.has(argv[2]) ? argv[2] : '';
  const sub = name === 'trace' && argv[3] !== undefined && /^[a-z]+$/.test(argv[3]) ? ` ${argv[3]}` : '';
  return name + sub;
}

/** What starts every error message: `llmcache simulate`, so the reader knows which command spoke. */
function speaker(argv: string[]): string {
  const name = commandName(argv);
  return name ? `llmcache ${name}` : 'llmcache';
}

/**
 * A message as printed: the password of any URL hidden, and control or undecodable bytes quoted from
 * a bad file shown as \uXXXX escapes, so an error never carries raw bytes to the terminal.
 */
function printable(message: string): string {
  return redact(message).replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line for commander's usage errors: what was wrong and where the usage is. */
function usageError(e: CommanderError, argv: string[]): string {
  const what = e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
  return `${speaker(argv)}: ${printable(what)}; see \`${speaker(argv)} --help\`\n`;
}

function exitCodeFor(e: unknown, argv: string[], ScenarioError: new (...args: never[]) => Error): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    if (e.code !== 'commander.help') output.stderr(usageError(e, argv));
    return 2;
  }
  if (e instanceof InputError || e instanceof ScenarioError) {
    output.stderr(`${speaker(argv)}: ${printable(e.message)}\n`);
    return 2;
  }
  if (e instanceof CheckFailed) {
    output.stderr(`${speaker(argv)}: ${printable(e.message)}\n`);
    return 1;
  }
  output.stderr(`${speaker(argv)}: internal error: ${printable(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
  return 70;
}
