import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childExecArgv } from '../../src/core/child.ts';

test('a forked child keeps the parent\'s Node options but not its -e/--print code or --input-type', () => {
  assert.deepEqual(childExecArgv(['--import', 'tsx', '--input-type=module', '-e', 'main()', '--max-old-space-size=512']), ['--import', 'tsx', '--max-old-space-size=512']);
  assert.deepEqual(childExecArgv(['--eval=x()', '-p', '1+1', '--enable-source-maps']), ['--enable-source-maps']);
  assert.deepEqual(childExecArgv([]), []);
});
