/**
 * Child-process entry of the embedded PGlite server (see src/tiers/pglite-server.ts): starts it,
 * reports the port to the parent over IPC, stops on SIGTERM or when the parent goes away.
 */
import { startPGliteServer } from '../tiers/pglite-server.js';

try {
  const pg = await startPGliteServer();
  const stop = () => {
    void pg.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  // Ctrl-C reaches the whole process group: the bench finishes its clean-up, then stops this server.
  process.on('SIGINT', () => {});
  process.send?.({ port: pg.port });
} catch (e) {
  process.send?.({ error: (e as Error).message });
  process.exit(1);
}
