/**
 * A seeded Mooncake-format trace (JSONL: timestamp, input_length, output_length, hash_ids) for
 * benchmarks and documentation figures: 64 system prompts of 2–8 blocks shared by many
 * conversations; each conversation's next turn repeats its previous prompt's blocks and adds 1–3
 * new ones (up to 120 blocks, then it starts over); about 40 requests per second of trace time.
 */
import { writeStreamAtomic } from '../io/write.js';
import { prng } from '../vectors/embeddings.js';

/** Write `n` requests to `file` (replaced if it exists), atomically. */
export async function writeMooncakeTrace(file: string, n: number, seed = 42): Promise<void> {
  await writeStreamAtomic(file, mooncakeLines(n, seed), { overwrite: true });
}

/** The trace's lines, in pieces of about 64 KiB. */
function* mooncakeLines(n: number, seed: number): Generator<Buffer> {
  const rand = prng(seed);
  let nextId = 0;
  const systems = Array.from({ length: 64 }, () => Array.from({ length: 2 + Math.floor(rand() * 7) }, () => nextId++));
  const live: { blocks: number[] }[] = [];
  let t = 0;
  let buf = '';
  for (let i = 0; i < n; i++) {
    t += Math.floor(rand() * 50);
    let conv: { blocks: number[] };
    if (live.length < 2000 || rand() < 0.3) {
      conv = { blocks: [...systems[Math.floor(rand() * systems.length)]!] };
      if (live.length >= 2000) live[Math.floor(rand() * live.length)] = conv;
      else live.push(conv);
    } else conv = live[Math.floor(rand() * live.length)]!;
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) conv.blocks.push(nextId++);
    if (conv.blocks.length > 120) conv.blocks.length = 120;
    const input = (conv.blocks.length - 1) * 512 + 1 + Math.floor(rand() * 511);
    buf += `{"timestamp": ${t}, "input_length": ${input}, "output_length": ${16 + Math.floor(rand() * 500)}, "hash_ids": [${conv.blocks.join(', ')}]}\n`;
    if (buf.length > 1 << 16) {
      yield Buffer.from(buf);
      buf = '';
    }
  }
  yield Buffer.from(buf);
}
