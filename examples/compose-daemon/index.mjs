// Two transports composed: clients ask a daemon over a Unix control socket (@ipc/socket); the daemon
// hands each job to a worker process over a pipe (@ipc/pipe) and relays the answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkChannel } from '@ipc/pipe';
import { connect, listen } from '@ipc/socket';

const dir = mkdtempSync(join(tmpdir(), 'ipc-daemon-'));
const address = `unix://${join(dir, 'control.sock')}`;

// The daemon: one worker, answers matched to jobs by id (the worker may answer out of order).
const worker = forkChannel(new URL('./worker.mjs', import.meta.url));
const waiting = new Map();
void (async () => {
  for await (const answer of worker.channel) waiting.get(answer.id)?.(answer);
})();
let nextId = 0;
const server = await listen(address);
server.handle(async (request) => {
  const id = nextId++;
  const answered = new Promise((resolve) => waiting.set(id, resolve));
  await worker.channel.send({ id, text: request.text });
  const { words } = await answered;
  waiting.delete(id);
  return { words };
});

// A client: the same code would work over TCP by changing the address.
const client = await connect(address);
try {
  const texts = ['one', 'two words', 'and now three', ''];
  const replies = await Promise.all(texts.map((text) => client.request({ text }, { timeout: 5000 })));
  for (const [i, reply] of replies.entries()) console.log(JSON.stringify(texts[i]), '->', reply.words);
} finally {
  await client.close();
  await server.close();
  await worker.channel.close(); // the worker reads end-of-file and exits
  console.log('worker exited with', (await worker.exited).code);
  rmSync(dir, { recursive: true, force: true });
}
