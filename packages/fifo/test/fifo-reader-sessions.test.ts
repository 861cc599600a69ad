import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createFifo, openFifo } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();
const sh = promisify(execFile);

describe('a FIFO reader across writers', () => {
  it('ends when the last writer closes (default)', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo(fifo.path, 'r');
    const first = await openFifo(fifo.path, 'w');
    const second = await openFifo(fifo.path, 'w');
    await first.send('one');
    await first.close();
    await second.send('two');
    await second.close();
    const got: unknown[] = [];
    for await (const m of rx) got.push(m);
    expect(got).toEqual(['one', 'two']);
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    await rx.close();
    dir.remove();
  });

  it('keeps waiting for the next writer with { persistent: true }', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo(fifo.path, 'r', { persistent: true });
    for (const word of ['one', 'two', 'three']) {
      const tx = await openFifo(fifo.path, 'w');
      await tx.send(word);
      await tx.close();
      expect(await rx.recv()).toBe(word);
    }
    // Every writer has gone: the reader has not ended, it is waiting.
    await expect(rx.recv({ timeout: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    const late = await openFifo(fifo.path, 'w');
    await late.send('four');
    expect(await rx.recv()).toBe('four');
    await late.close();
    await rx.close();
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    dir.remove();
  });

  it('fails with ERR_PEER_GONE when a writer leaves in the middle of a frame', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo(fifo.path, 'r', { codec: 'raw' });
    // A 16-byte frame header, 2 bytes of payload, then the writer exits.
    await sh('sh', ['-c', 'printf "\\000\\000\\000\\020ab" > "$1"', 'sh', fifo.path]);
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    await rx.close();
    dir.remove();
  });

  it('reports a cut frame as one failed recv when persistent, then goes on with the next writer', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo<Uint8Array>(fifo.path, 'r', { codec: 'raw', persistent: true });
    await sh('sh', ['-c', 'printf "\\000\\000\\000\\020ab" > "$1"', 'sh', fifo.path]);
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    await sh('sh', ['-c', 'printf "\\000\\000\\000\\002ok" > "$1"', 'sh', fifo.path]);
    expect(Buffer.from(await rx.recv()).toString()).toBe('ok');
    await rx.close();
    dir.remove();
  });

  it('recovers from a writer that left in the middle of a big frame, then reads a big one whole', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo<Uint8Array>(fifo.path, 'r', { codec: 'raw', persistent: true });
    // A 1 MiB frame header and 300 KiB of its payload (read straight into the frame's buffer), then
    // the writer exits.
    await sh('sh', [
      '-c',
      '{ printf "\\000\\020\\000\\000"; head -c 307200 /dev/zero; } > "$1"',
      'sh',
      fifo.path,
    ]);
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    const big = Buffer.alloc(2 * 1024 * 1024 + 3);
    for (let i = 0; i < big.length; i += 4093) big[i] = (i / 4093) & 0xff;
    const tx = await openFifo(fifo.path, 'w', { codec: 'raw', exclusive: true });
    await tx.send(big);
    await tx.close();
    expect(Buffer.from(await rx.recv()).equals(big)).toBe(true);
    await rx.close();
    dir.remove();
  });

  it('ends with ERR_FRAME_TOO_LARGE for a frame over maxFrameBytes', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('f'));
    const rx = await openFifo(fifo.path, 'r', { maxFrameBytes: 16 });
    const tx = await openFifo(fifo.path, 'w');
    await tx.send('x'.repeat(100));
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });
    await tx.close();
    await rx.close();
    dir.remove();
  });
});
