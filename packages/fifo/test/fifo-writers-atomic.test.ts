import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createFifo, openFifo, PIPE_BUF } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();
const writer = join(__dirname, 'fixtures', 'fifo-writer.mjs');

describe('several writers on one FIFO (shared mode: whole frames of at most PIPE_BUF per write)', () => {
  it('delivers every message whole from 4 writer processes × 10,000 messages, then ends with the last writer', async () => {
    const dir = dirs.make();
    const fifo = await createFifo(dir.fifo('many'));
    try {
      const rx = await openFifo<{ w: number; i: number; pad: string }>(fifo.path, 'r');
      // This process holds a writer too, so the reader cannot end before every child has connected.
      const holder = await openFifo(fifo.path, 'w');
      const count = 10_000;
      const children = [0, 1, 2, 3].map((id) => {
        const child = spawn(process.execPath, [writer, fifo.path, String(id), String(count)], {
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        return once(child, 'exit') as Promise<[number | null, string | null]>;
      });
      const next = [0, 0, 0, 0];
      let received = 0;
      const reading = (async () => {
        for await (const m of rx) {
          // Per writer, messages arrive in order and intact; a torn frame would fail to decode.
          if (m.i !== next[m.w] || m.pad.length !== (m.i * 37) % 3000) {
            expect({ w: m.w, i: m.i, pad: m.pad.length }).toEqual({
              w: m.w,
              i: next[m.w],
              pad: (m.i * 37) % 3000,
            });
          }
          next[m.w] = m.i + 1;
          received++;
        }
      })();
      expect((await Promise.all(children)).map(([code]) => code)).toEqual([0, 0, 0, 0]);
      await holder.close(); // the last writer: the reader's iteration ends
      await reading;
      expect(next).toEqual([count, count, count, count]);
      expect(received).toBe(4 * count);
      await rx.close();
    } finally {
      await fifo.remove();
      dir.remove();
    }
  });

  it('refuses a frame over PIPE_BUF with ERR_FRAME_TOO_LARGE, and accepts one of exactly PIPE_BUF', async () => {
    const dir = dirs.make();
    const fifo = await createFifo(dir.fifo('limit'));
    try {
      const rx = await openFifo<Uint8Array>(fifo.path, 'r', { codec: 'raw' });
      const tx = await openFifo<Uint8Array>(fifo.path, 'w', { codec: 'raw' });
      await expect(tx.send(Buffer.alloc(PIPE_BUF - 3))).rejects.toMatchObject({
        code: 'ERR_FRAME_TOO_LARGE',
      });
      await tx.send(Buffer.alloc(PIPE_BUF - 4, 9));
      expect((await rx.recv()).byteLength).toBe(PIPE_BUF - 4);
      await tx.close();
      await rx.close();
    } finally {
      await fifo.remove();
      dir.remove();
    }
  });

  it('makes a shared-mode sender wait while the reader does not read (backpressure), losing nothing', async () => {
    const dir = dirs.make();
    const fifo = await createFifo(dir.fifo('slow'));
    try {
      const rx = await openFifo<Uint8Array>(fifo.path, 'r', { codec: 'raw', highWaterBytes: 256 * 1024 });
      const tx = await openFifo<Uint8Array>(fifo.path, 'w', { codec: 'raw' });
      const total = 20_000; // 80 MB: far more than the pipe, the reader's buffer and the sender's queue
      let accepted = 0;
      const sending = (async () => {
        for (let i = 0; i < total; i++) {
          const m = Buffer.alloc(4000, i & 0xff);
          await tx.send(m);
          accepted++;
        }
      })();
      let last = -1;
      while (accepted !== last && accepted < total) {
        last = accepted;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(accepted).toBeLessThan(total);
      for (let i = 0; i < total; i++) {
        const m = await rx.recv();
        if (m.byteLength !== 4000 || m[0] !== (i & 0xff))
          expect([m.byteLength, m[0]]).toEqual([4000, i & 0xff]);
      }
      await sending;
      await tx.close();
      await rx.close();
    } finally {
      await fifo.remove();
      dir.remove();
    }
  });
});
