/**
 * The number flags' parsers accept plain decimals only: what `Number()` alone would also take — a
 * blank (0), hex, an exponent, "Infinity" — is refused with the flag's name, as every other flag is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intOption, numberOption } from '../../src/commands/options.js';
import { InputError } from '../../src/errors.js';
import { runCli } from '../cli-helper.js';

test('numberOption takes plain decimals at or above its bound', () => {
  const scale = numberOption('--llm-time-scale', 0);
  for (const [text, value] of [['0', 0], ['0.001', 0.001], ['.5', 0.5], ['2.', 2], ['12', 12], [' 3 ', 3]] as const) assert.equal(scale(text), value, text);
  for (const text of ['', ' ', '-1', '-0.5', '1e3', '0x10', 'Infinity', 'NaN', '1,5', '1.2.3', '5%']) {
    assert.throws(() => scale(text), (e: unknown) => e instanceof InputError && e.message === `--llm-time-scale: expected a number >= 0, got ${JSON.stringify(text)}`, text);
  }
});

test('intOption takes whole decimals at or above its bound', () => {
  const rounds = intOption('--rounds', 0);
  for (const [text, value] of [['0', 0], ['7', 7], ['20', 20]] as const) assert.equal(rounds(text), value, text);
  for (const text of ['', ' ', '-1', '1.5', '1e2', '0x10', 'Infinity']) {
    assert.throws(() => rounds(text), (e: unknown) => e instanceof InputError && e.message.startsWith('--rounds: expected an integer >= 0'), text);
  }
});

test('bench refuses a blank --llm-time-scale before it connects to anything (exit 2)', async () => {
  const r = await runCli(['bench', '--llm-time-scale', '', '--redis-url', 'redis://127.0.0.1:1']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /--llm-time-scale: expected a number >= 0, got ""/);
});
