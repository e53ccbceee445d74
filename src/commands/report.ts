/** `llmcache report RESULT`: render a simulate or bench result file as a table, JSON, Markdown or HTML. */
import { output } from '../output.js';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import { REPORT_FORMATS, renderResult, type ReportFormat } from '../report/render.js';
import { asReportableResult } from '../report/validate.js';
import type { AnyResult } from '../report/types.js';

export interface ReportCliOptions {
  format: ReportFormat;
  out?: string;
  force?: boolean;
}

/** Read and validate a result file (exit 2 with the file and the problem when it is not one). */
export function readResultFile(file: string): AnyResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read the result file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return asReportableResult(doc, file);
}

export function register(program: Command): void {
  program
    .command('report')
    .description('Render a simulate or bench result file as a table, JSON, Markdown (pull-request comment) or a self-contained HTML page')
    .argument('<result>', 'result JSON written by `simulate --out` or `bench`')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('table'))
    .option('-o, --out <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--force', 'replace --out if it exists')
    .addHelpText(
      'after',
      '\nExamples:\n  llmcache report results/simulate.json\n  llmcache report results/simulate.json --format markdown > comment.md\n  llmcache report results/bench.json --format html -o report.html',
    )
    .action((file: string, o: ReportCliOptions) => {
      const rendered = renderResult(readResultFile(file), o.format);
      if (o.out) {
        writeFileAtomic(o.out, rendered, { overwrite: o.force });
        output.stderr(`wrote ${o.format} report to ${o.out}\n`);
      } else {
        output.stdout(rendered);
      }
    });
}
