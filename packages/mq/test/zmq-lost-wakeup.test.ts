import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import * as zmq from '@ipc/mq/zmq';

/** Blocks the event loop (not the ZeroMQ I/O thread) for `ms`. */
function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin: the I/O thread delivers meanwhile, and the socket's descriptor is signalled
  }
}

// zeromq.js 6.8 reads ZMQ_EVENTS when a send finds no room, which consumes the socket's one
// edge-triggered wake-up, and it wakes no pending receive then: a message that arrived just before
// stayed unread for good (the CI hang of "carries messages both ways at once"). The receive pump's
// slices must read it anyway.
it('reads a message whose wake-up a send waiting for room consumed', async () => {
  const dir = tempDir('ipc-mq-');
  const endpoint = `ipc://${join(dir.path, 'pair.sock')}`;
  const small = { sendHighWaterMark: 2, receiveHighWaterMark: 2, highWaterMessages: 2 };
  const a = await zmq.pair<string>(endpoint, { mode: 'bind', ...small, linger: 0 });
  const b = await zmq.pair<string>(endpoint, { ...small, linger: 0 });
  try {
    // b never reads: a's sends fill every queue on the way, then one times out.
    for (;;) {
      const sent = await a.send('fill', { timeout: 200 }).then(
        () => true,
        (err: unknown) => {
          expect(err).toMatchObject({ code: 'ERR_TIMEOUT' });
          return false;
        },
      );
      if (!sent) break;
    }
    await sleep(300); // the timed-out send leaves the socket at the end of its slice
    const received = a.recv({ timeout: 5000 }); // a's pump has a receive pending meanwhile
    await b.send('hello');
    blockEventLoop(50); // 'hello' reaches a's socket, which signals its descriptor
    const waiting = a.send('more', { timeout: 1000 }).catch(() => undefined); // no room: consumes it
    expect(await received).toBe('hello');
    await waiting;
  } finally {
    await Promise.allSettled([a.close(), b.close()]);
    dir.remove();
  }
});
