// ZeroMQ, no broker: a PUSH/PULL job pipeline and a REQ/REP service over ipc:// sockets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from '@ipc/mq/zmq';

const dir = mkdtempSync(join(tmpdir(), 'mq-jobs-'));
try {
  // A pipeline: the puller binds, the pusher connects; close() sends an end-of-stream marker.
  const jobs = await zmq.pull(`ipc://${join(dir, 'jobs.sock')}`, { endAfter: 1 });
  const producer = await zmq.push(`ipc://${join(dir, 'jobs.sock')}`, { endOnClose: true });
  for (let id = 1; id <= 3; id++) await producer.send({ id, task: `resize image ${id}` });
  await producer.close();
  for await (const job of jobs) console.log('job', job.id, job.task);
  await jobs.close();

  // Request/reply with a timeout; a handler that throws gives the caller ERR_REMOTE.
  const service = await zmq.reply(`ipc://${join(dir, 'square.sock')}`, (n) => {
    if (typeof n !== 'number') throw new Error('not a number');
    return n * n;
  });
  const client = await zmq.request(`ipc://${join(dir, 'square.sock')}`, { timeout: 2000 });
  console.log('square of 12 =', await client.request(12));
  await client.request('x').catch((err) => console.log('error', err.code, err.message));
  await client.close();
  await service.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
