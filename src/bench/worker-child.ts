/**
 * Child-process entry of a bench worker (`--workers N`): one logical worker with its own L1,
 * connected to the shared tiers, driven over IPC by the coordinator (src/bench/host.ts).
 */
import type { TierAdapter } from '../tiers/adapter.js';
import { redact } from '../errors.js';
import { buildAdapters, snapshot, stackFor, type StackSetup } from './host.js';
import type { BenchJob, BenchStack } from './stack.js';

type Msg =
  | { t: 'setup'; setup: StackSetup }
  | { t: 'req'; id: number; job: BenchJob }
  | { t: 'msg'; id: number; contact: number; seq: number; time: number }
  | { t: 'inv'; k: number; entity: number }
  | { t: 'stall'; name: string; ms: number }
  | { t: 'collect' }
  | { t: 'teardown' };

let stack: BenchStack | null = null;
let adapters: TierAdapter[][] = [];
const send = (m: object) => process.send?.(m);

process.on('message', (m: Msg) => {
  switch (m.t) {
    case 'setup':
      void (async () => {
        try {
          adapters = await buildAdapters(m.setup.scenario, 1, m.setup.adapter);
          stack = stackFor(m.setup, 1, adapters);
          send({ t: 'ready' });
        } catch (e) {
          send({ t: 'error', message: redact((e as Error).message) });
        }
      })();
      return;
    case 'req':
      void stack!.request(0, m.job).then((out) => send({ t: 'res', id: m.id, out }));
      return;
    case 'msg':
      void stack!.message(0, m.contact, m.seq, m.time).then((errors) => send({ t: 'res', id: m.id, errors }));
      return;
    case 'inv':
      stack!.invalidate(m.k, 0, m.entity);
      return;
    case 'stall':
      stack!.stall(m.name, m.ms);
      return;
    case 'collect':
      send({ t: 'stats', tiers: snapshot(stack!, adapters) });
      return;
    case 'teardown':
      void Promise.all(adapters.flat().map((a) => a.close())).then(() => {
        adapters = [];
        stack = null;
        send({ t: 'done' });
      });
      return;
  }
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the coordinator handles it and stops this worker.
process.on('SIGINT', () => {});
