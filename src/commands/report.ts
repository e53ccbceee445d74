/** `llmcache report RESULT`: render a simulate or bench result file as a table, JSON, Markdown or HTML. */
import { output } from '../output.js';
import { Option, type Command } from 'commander';
import { writeFileAtomic } from '../io/write.js';
import { REPORT_FORMATS, renderResult, type ReportFormat } from '../report/render.js';
import { readResultFile } from '../report/validate.js';
import { addOutFileFlags } from './options.js';

export interface ReportCliOptions {
  format: ReportFormat;
  out?: string;
  force?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('Render a simulate or bench result file as a table, JSON, Markdown (pull-request comment) or a self-contained HTML page')
    .argument('<result>', 'result JSON written by `simulate --out` or `bench`')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('table'));
  addOutFileFlags(cmd, 'write the report to this file (atomically) instead of stdout')
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
