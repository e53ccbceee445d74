/**
 * Write schema/scenario.schema.json and src/config/forms.generated.ts (the JSON Schemas the fast
 * validation path reads) from the one scenario definition (src/config/schema.ts).
 * `--check`: exit 1 when a file is not what the definition gives (test/config/schema.test.ts
 * checks the same in `npm test`).
 * Usage: npm run schema [-- --check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { scenarioFormsText, scenarioSchemaText } from '../src/config/schema.js';

const files: [string, string][] = [
  ['schema/scenario.schema.json', scenarioSchemaText()],
  ['src/config/forms.generated.ts', scenarioFormsText()],
];
for (const [file, text] of files) {
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      /* missing: stale */
    }
    if (current !== text) {
      console.error(`${file} is stale: run npm run schema`);
      process.exitCode = 1;
    } else console.log(`${file} is current`);
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
