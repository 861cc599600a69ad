import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createFifo, openFifo } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();
const SIZES = [0, 5, 4096, 65_536, 1 << 20, 100, 3 << 20, 70_000]; // as in fifo-bulk-writer.mjs

describe('recvInto on a FIFO', () => {
  it('receives a writer process’s messages into one reused buffer, intact and in order', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('bulk'));
    const rx = await openFifo<Uint8Array>(fifo.path, 'r', { codec: 'raw' });
    const writer = spawn(
      process.execPath,
      [join(__dirname, 'fixtures/fifo-bulk-writer.mjs'), fifo.path, '40'],
      {
        stdio: 'inherit',
      },
    );
    const exited = once(writer, 'exit');
    try {
      const buffer = Buffer.alloc(2 << 20);
      let tooSmall = 0;
      for (let i = 0; i < 40; i++) {
        let message: Uint8Array;
        try {
          message = buffer.subarray(0, await rx.recvInto(buffer));
        } catch (err) {
          expect(err).toMatchObject({ code: 'ERR_BUFFER_TOO_SMALL' });
          tooSmall++;
          message = await rx.recv(); // the message stayed queued, whole
        }
        expect({ i, n: message.byteLength }).toEqual({ i, n: SIZES[i % SIZES.length] });
        for (let k = 0; k < message.byteLength; k += k < 5000 ? 1 : 997) {
          if (message[k] !== ((i + k) & 0xff))
            throw new Error(`message ${i} byte ${k}: ${String(message[k])}`);
        }
      }
      expect(tooSmall).toBe(5); // the 3 MiB messages
      await expect(rx.recvInto(buffer)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
      expect(await exited).toEqual([0, null]);
    } finally {
      writer.kill('SIGKILL');
      await rx.close();
    }
    dir.remove();
  });
});
