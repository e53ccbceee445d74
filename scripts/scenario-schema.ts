/**
 * Write schema/scenario.schema.json from the one scenario definition (src/config/schema.ts).
 * `--check`: exit 1 when the file is not what the definition gives (test/config/schema.test.ts
 * checks the same in `npm test`).
 * Usage: npm run schema [-- --check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { scenarioSchemaText } from '../src/config/schema.js';

const file = 'schema/scenario.schema.json';
const text = scenarioSchemaText();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing: stale */
  }
  if (current !== text) {
    console.error(`${file} is stale: run npm run schema`);
    process.exit(1);
  }
  console.log(`${file} is current`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
