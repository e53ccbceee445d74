// Instructions executed by a whole process, counted by valgrind's cachegrind: a figure that neither
// the machine's load nor this VM's two speeds move (repeat runs agree within a few M instructions,
// up to 0.2 G on a 30 G run), for the benchmark scripts' `--instructions` mode. `node
// --single-threaded` runs V8's compiler and GC helpers on the main thread, so the count does not
// depend on how threads were scheduled.
import { spawnSync } from 'node:child_process';

/** True when `argv` asks for `--instructions`; exits 2 with how to install valgrind when it is not on the PATH. */
export function instructionsMode(argv) {
  if (!argv.includes('--instructions')) return false;
  if (spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status !== 0) {
    console.error('--instructions needs valgrind on the PATH (Debian/Ubuntu: apt-get install valgrind)');
    process.exit(2);
  }
  return true;
}

/** Run `node --single-threaded ARGS` under cachegrind: { instructions, stdout } (exit 70 on a failed run). */
export function countInstructions(args) {
  const p = spawnSync('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const refs = /I\s+refs:\s+([\d,]+)/.exec(p.stderr ?? '');
  if (p.status !== 0 || !refs) {
    console.error(`node ${args.join(' ')} under valgrind failed (exit ${p.status}):\n${p.stderr}`);
    process.exit(70);
  }
  return { instructions: Number(refs[1].replaceAll(',', '')), stdout: p.stdout };
}

/** 4,160,164,617 -> "4.160 G". */
export const giga = (n) => `${(n / 1e9).toFixed(3)} G`;
