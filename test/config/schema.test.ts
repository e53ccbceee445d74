import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { scenarioDocument, scenarioSchemaText } from '../../src/config/schema.ts';

test('schema/scenario.schema.json is what the scenario definition gives (npm run schema rewrites it)', () => {
  assert.equal(readFileSync('schema/scenario.schema.json', 'utf8'), scenarioSchemaText());
});

test('the JSON Schema refuses unknown fields at every depth, as the validator does', () => {
  const schema = JSON.parse(scenarioSchemaText());
  const workload = schema.properties.workload;
  assert.equal(schema.additionalProperties, false);
  assert.equal(workload.additionalProperties, false);
  assert.ok('leads' in workload.properties);
  assert.equal(schema.properties.tiers.items.additionalProperties, false);
});

test('every shipped scenario names the schema for editors, and the schema accepts it', () => {
  for (const f of readdirSync('scenarios').filter((f) => /\.ya?ml$/.test(f))) {
    const text = readFileSync(`scenarios/${f}`, 'utf8');
    assert.match(text.split('\n')[0]!, /^# yaml-language-server: \$schema=\.\.\/schema\/scenario\.schema\.json$/, f);
  }
  assert.ok(scenarioDocument.safeParse({ $schema: '../schema/scenario.schema.json', workload: { leads: 3 } }).success);
});
