import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, it } from '@jest/globals';
import { tempDir, uniqueName } from '@ipc/core/testing';
import * as zmq from '@ipc/mq/zmq';

// The end confirmation of a pipeline (see src/zmq/zmq-end-ack.ts) over the transports other than
// ipc:// (zmq-pipeline-delivery.test.ts covers ipc:// with producer processes).

/** Sends `count` numbers through tiny queues while reading them; returns what arrived and how the loop ended. */
async function roundTrip(
  pullEndpoint: string,
  pushEndpoint: (rx: zmq.ZmqReceiver<number>) => string,
  count: number,
): Promise<{ received: number[]; ended: string }> {
  const small = { sendHighWaterMark: 8, receiveHighWaterMark: 8, highWaterMessages: 8 };
  const rx = await zmq.pull<number>(pullEndpoint, { ...small, endAfter: 1 });
  try {
    const tx = await zmq.push<number>(pushEndpoint(rx), { ...small, endOnClose: true, linger: 30_000 });
    const received: number[] = [];
    const reading = (async () => {
      try {
        for await (const n of rx) {
          received.push(n);
          if (n % 100 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        return 'ended';
      } catch (err) {
        return `failed: ${(err as { code?: string }).code}`;
      }
    })();
    for (let i = 0; i < count; i++) await tx.send(i);
    await tx.close(); // resolves only after the puller confirmed the end marker
    return { received, ended: await reading };
  } finally {
    await rx.close();
  }
}

it('over tcp:// to loopback: close() resolves after the puller read everything, the loop ends', async () => {
  const { received, ended } = await roundTrip(
    'tcp://127.0.0.1:*',
    (rx) => rx.socket.lastEndpoint as string,
    3000,
  );
  expect(ended).toBe('ended');
  expect(received).toEqual(Array.from({ length: 3000 }, (_, i) => i));
}, 120_000);

it('over inproc://: close() resolves after the puller read everything, the loop ends', async () => {
  const endpoint = `inproc://${uniqueName('pipeline')}`;
  const { received, ended } = await roundTrip(endpoint, () => endpoint, 3000);
  expect(ended).toBe('ended');
  expect(received).toEqual(Array.from({ length: 3000 }, (_, i) => i));
}, 120_000);

it('endOnClose to a non-loopback tcp:// host needs ackEndpoint, which is checked', async () => {
  await expect(zmq.push('tcp://192.0.2.1:5555', { endOnClose: true })).rejects.toMatchObject({
    code: 'ERR_INVALID_ARGUMENT',
    message: expect.stringContaining('ackEndpoint'),
  });
  await expect(
    zmq.push('tcp://192.0.2.1:5555', { endOnClose: true, ackEndpoint: 'nowhere' }),
  ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  // Given one, the pusher opens; having sent nothing, its close has nothing to confirm.
  const tx = await zmq.push('tcp://192.0.2.1:5555', { endOnClose: true, ackEndpoint: 'tcp://127.0.0.1:*' });
  await tx.close();
});

it('a pusher whose puller is gone: close() rejects with ERR_TIMEOUT within linger, naming the count', async () => {
  const endpoint = `inproc://${uniqueName('gone')}`;
  const rx = await zmq.pull<number>(endpoint, { endAfter: 1 });
  const tx = await zmq.push<number>(endpoint, { endOnClose: true, linger: 300 });
  for (let i = 0; i < 3; i++) await tx.send(i);
  expect(await rx.recv({ timeout: 5000 })).toBe(0);
  await rx.close();
  await expect(tx.close()).rejects.toMatchObject({
    code: 'ERR_TIMEOUT',
    message: expect.stringContaining('up to 3 message'),
  });
});

it('an ipc:// pusher removes confirmation folders that killed pushers left (old, nobody listening), and no others', async () => {
  const dir = tempDir('ipc-mq-');
  const tmp = join(dir.path, 'tmp'); // the producer's temp folder
  mkdirSync(tmp, { mode: 0o700 });
  try {
    const stale = mkdtempSync(join(tmp, 'ipc-mq-ack-'));
    writeFileSync(join(stale, 'ack.sock'), ''); // a leftover path, no listener
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(stale, old, old);
    const young = mkdtempSync(join(tmp, 'ipc-mq-ack-')); // another pusher's, about to bind
    const endpoint = `ipc://${join(dir.path, 'jobs.sock')}`;
    const rx = await zmq.pull<{ i: number }>(endpoint, { endAfter: 1 });
    let producer: ChildProcess | undefined;
    try {
      // (os.tmpdir() inside Jest ignores a changed process.env: the pusher is a process of its own.)
      producer = spawn(
        process.execPath,
        [join(__dirname, 'fixtures', 'zmq-pipeline-producer.mjs'), endpoint, '0', '10'],
        { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TMPDIR: tmp } },
      );
      const child = producer;
      const exited = new Promise((resolve) => child.on('close', resolve));
      let count = 0;
      for await (const { i } of rx) expect(i).toBe(count++);
      expect(count).toBe(10);
      expect(await exited).toBe(0);
    } finally {
      if (producer?.exitCode === null) producer.kill('SIGKILL');
      await rx.close();
    }
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(tmp)).toEqual([basename(young)]); // and its own folder is gone too
  } finally {
    dir.remove();
  }
}, 60_000);
