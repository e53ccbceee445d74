/**
 * The embedded L3 default: PGlite (Postgres compiled to WASM) with its pgvector build, served on
 * a loopback port with @electric-sql/pglite-socket, so the bench talks to it through the very
 * same `pg` + `pgvector` driver path as to a real server (docs/architecture.md, "Backends").
 *
 * `startPGliteServer` runs it in this process; `spawnPGliteServer` runs it in a child process so
 * the WASM engine does not share the client's event loop (what the bench uses).
 */
import { InputError } from '../errors.js';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { benchChildEntry, childExecArgv, stopChild } from '../core/child.js';

/** A running embedded server. */
export interface EmbeddedPg {
  /** postgres:// URL on 127.0.0.1 (no password). */
  url: string;
  port: number;
  /** The server's process id when it runs in a child process (spawnPGliteServer). */
  pid?: number;
  stop(): Promise<void>;
}

/** Start PGlite + pgvector on 127.0.0.1 in this process (`port` 0 = any free port). */
export async function startPGliteServer(opts: { port?: number; maxConnections?: number } = {}): Promise<EmbeddedPg> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server = new PGLiteSocketServer({ db, port: opts.port ?? 0, host: '127.0.0.1', maxConnections: opts.maxConnections ?? 64 });
  await server.start();
  const srv = (server as unknown as { server: { address(): AddressInfo } }).server;
  const port = srv.address().port;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Path of the child entry (src/bench/pglite-child). */
function childEntry(): string {
  const file = benchChildEntry('pglite-child');
  if (!existsSync(file)) throw new Error(`PGlite child entry missing: ${file}`);
  return file;
}

/**
 * Start PGlite + pgvector in a child process; resolves once it listens (timeout in ms). Loading the
 * WASM build took 44 s on a 2-core machine at load average 20 (it is about 2 s when idle), so the
 * default waits 2 minutes rather than fail a run that would have started.
 */
export async function spawnPGliteServer(timeoutMs = 120_000): Promise<EmbeddedPg> {
  const child: ChildProcess = fork(childEntry(), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: childExecArgv() });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new InputError(`embedded PGlite did not start within ${timeoutMs / 1000} s (is the machine overloaded?); give a Postgres with pgvector through --pg-url`));
    }, timeoutMs);
    child.once('message', (m: { port?: number; error?: string }) => {
      clearTimeout(timer);
      if (m.port) resolve(m.port);
      else reject(new Error(`embedded PGlite failed: ${m.error ?? 'unknown error'}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PGlite exited with code ${code}`));
    });
  });
  child.unref();
  (child as unknown as { channel?: { unref(): void } }).channel?.unref();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    stop: () => stopChild(child, () => child.kill('SIGTERM')),
  };
}
