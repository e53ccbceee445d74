import { spawnPGliteServer } from '../src/tiers/pglite-server.ts';
import pg from 'pg';
const t0 = performance.now();
const s = await spawnPGliteServer();
console.log('started', s.url, performance.now() - t0);
const c = new pg.Client({ connectionString: s.url }); await c.connect();
for (let i = 0; i < 3; i++) { const t = performance.now(); await c.query('select 1'); console.log(performance.now() - t); }
await c.end(); await s.stop(); console.log('stopped');
