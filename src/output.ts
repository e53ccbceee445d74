/**
 * Where commands print. Commands write through `output` rather than to process.stdout directly so
 * that tests can run the CLI in-process and capture exactly what a command printed (the test
 * runner itself talks to its parent over the real stdout).
 */
export const output = {
  stdout: (text: string): void => {
    process.stdout.write(text);
  },
  stderr: (text: string): void => {
    process.stderr.write(text);
  },
  /** Whether stderr is a terminal: `\r` progress bars are drawn only then (CI logs and pipes stay clean). */
  stderrIsTTY: (): boolean => process.stderr.isTTY === true,
};
