import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import * as zmq from '@ipc/mq/zmq';

it('queues many concurrent sends in order without EBUSY, and a send waiting at the HWM can be aborted', async () => {
  const dir = tempDir('ipc-mq-');
  const endpoint = `ipc://${join(dir.path, 'hwm.sock')}`;
  const rx = await zmq.pull<number>(endpoint, { receiveHighWaterMark: 2, highWaterMessages: 2 });
  const tx = await zmq.push<number>(endpoint, { sendHighWaterMark: 2 });
  try {
    expect(statSync(join(dir.path, 'hwm.sock')).mode & 0o777).toBe(0o600);
    await expect(zmq.pull(endpoint)).rejects.toMatchObject({ code: 'ERR_ADDRESS_IN_USE' });
    // 2,000 sends at once: far more than the HWMs; all queue in order, none fails with EBUSY.
    const sends = Array.from({ length: 2000 }, (_, i) => tx.send(i));
    for (let i = 0; i < 2000; i++) expect(await rx.recv({ timeout: 5000 })).toBe(i);
    await Promise.all(sends);
    // Nobody reads now: sends fill the queues, then wait; an abort cancels a waiting one.
    let accepted = 0;
    for (let i = 0; accepted === i && i < 1000; i++) {
      await Promise.race([tx.send(i).then(() => accepted++), new Promise((r) => setTimeout(r, 300))]);
    }
    expect(accepted).toBeLessThan(1000);
    const controller = new AbortController();
    const waiting = tx.send(-1, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(tx.send(-2, { timeout: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  } finally {
    await tx.close();
    await rx.close();
  }
  expect(existsSync(join(dir.path, 'hwm.sock'))).toBe(false);
  dir.remove();
});
