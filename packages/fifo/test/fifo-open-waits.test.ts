import { pbkdf2 } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createFifo, openFifo, type FifoReceiver } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();

describe('opening FIFOs', () => {
  it("holds none of libuv's 4 pool threads while 6 readers wait for writers and 6 writers wait for readers", async () => {
    const dir = dirs.make();
    const fifos = await Promise.all(Array.from({ length: 12 }, (_, i) => createFifo(dir.fifo(`f${i}`))));
    const readers: FifoReceiver<unknown>[] = [];
    for (const f of fifos.slice(0, 6)) readers.push(await openFifo(f.path, 'r'));
    const waiting = readers.map((rx) => rx.recv());
    const controller = new AbortController();
    const writers = fifos.slice(6).map((f) => openFifo(f.path, 'w', { signal: controller.signal }));
    // The pool is free: work that needs it completes while everything above waits.
    await promisify(pbkdf2)('secret', 'salt', 1000, 32, 'sha256');
    await writeFile(dir.fifo('plain-file'), 'ok');
    controller.abort();
    for (const w of writers) await expect(w).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    for (const rx of readers) await rx.close();
    for (const w of waiting) await expect(w).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    await Promise.all(fifos.map((f) => f.remove()));
    dir.remove();
  });

  it('waits for a reader when opening for writing, instead of failing with ENXIO', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    let opened = false;
    const opening = openFifo(fifo.path, 'w').then((tx) => {
      opened = true;
      return tx;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).toBe(false);
    const rx = await openFifo(fifo.path, 'r');
    const tx = await opening;
    await tx.send('hi');
    expect(await rx.recv()).toBe('hi');
    await tx.close();
    await rx.close();
    dir.remove();
  });

  it('times out the wait for a reader with ERR_TIMEOUT', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    await expect(openFifo(fifo.path, 'w', { timeout: 30 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    dir.remove();
  });

  it('fails with ERR_NOT_FOUND for a missing FIFO and ERR_INVALID_ARGUMENT for a regular file or bad mode', async () => {
    const dir = dirs.make();
    await expect(openFifo(dir.fifo('none'), 'r')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(openFifo(dir.fifo('none'), 'w')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await writeFile(dir.fifo('file'), 'data');
    await expect(openFifo(dir.fifo('file'), 'r')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(openFifo(dir.fifo('file'), 'w')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(openFifo(dir.fifo('file'), 'x' as 'r')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(openFifo('', 'r')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(openFifo(dir.fifo('file'), 'r', { codec: 'nope' as 'json' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    dir.remove();
  });

  it('fails a send with ERR_PEER_GONE once the reader has gone', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo(fifo.path, 'r');
    const tx = await openFifo(fifo.path, 'w');
    await rx.close();
    let failure: unknown;
    for (let i = 0; i < 100_000 && failure === undefined; i++) {
      await tx.send(i).catch((err: unknown) => (failure = err));
      await new Promise((r) => setImmediate(r));
    }
    expect(failure).toMatchObject({ code: 'ERR_PEER_GONE' });
    await tx.close();
    dir.remove();
  });
});
