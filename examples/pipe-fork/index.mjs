// The @ipc/pipe README example: a Node child on a message channel (msgpack over a socketpair on fd 3).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkChannel } from '@ipc/pipe';

const here = dirname(fileURLToPath(import.meta.url));
const { channel, exited } = forkChannel(join(here, 'square-worker.mjs'));
try {
  for (const n of [7, 12]) {
    await channel.send(n);
    console.log(`${n}² =`, await channel.recv({ timeout: 5000 }));
  }
} finally {
  await channel.close();
}
console.log('child exited:', await exited); // { code: 0, signal: null }
