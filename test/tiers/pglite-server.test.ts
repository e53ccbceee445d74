/** An embedded PGlite that does not start in time is a one-sentence input error (exit 2) with the way out, not a crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { spawnPGliteServer } from '../../src/tiers/pglite-server.js';

test('a start timeout names the wait and the alternative (--pg-url), as an InputError', async () => {
  await assert.rejects(spawnPGliteServer(1), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match((e as Error).message, /^embedded PGlite did not start within 0\.001 s \(is the machine overloaded\?\); give a Postgres with pgvector through --pg-url$/);
    return true;
  });
});
