// @ipc/pipe: a Node parent and a Python worker that uses only the standard library
// (multiprocessing.connection.Connection(3)), JSON messages both ways, including 100 MiB ones.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChannel } from '@ipc/pipe';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;
const size = Number(process.argv[2] ?? 100) * MiB;

const { channel, exited } = spawnChannel('python3', [join(here, 'worker.py')], {
  codec: 'json',
  maxFrameBytes: size + MiB, // the default limit is 64 MiB: raise it for 100 MiB messages
});
try {
  for (const n of [2, 3, 4]) {
    await channel.send({ op: 'square', n });
    console.log(await channel.recv({ timeout: 30_000 }));
  }

  // Node → Python: one message of `size` bytes.
  await channel.send({ op: 'measure', data: 'ab'.repeat(size / 2) });
  const measured = await channel.recv({ timeout: 60_000 });
  console.log(`python received ${measured.length / MiB} MiB (${measured.first}…${measured.last})`);

  // Python → Node: one message of `size` bytes.
  await channel.send({ op: 'make', length: size });
  const made = await channel.recv({ timeout: 60_000 });
  console.log(`node received ${made.data.length / MiB} MiB (${made.data.slice(0, 4)}…)`);
} finally {
  await channel.close(); // the worker reads end-of-file and exits
}
console.log('worker exited:', await exited);
