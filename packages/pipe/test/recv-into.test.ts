import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { forkChannel } from '@ipc/pipe';
import { payload } from './fixtures/payload.js';

describe('recvInto over a pipe (like Python’s Connection.recv_bytes_into)', () => {
  it('receives a child’s messages into one reused buffer, intact and in order', async () => {
    const { channel, exited } = forkChannel<Uint8Array>(join(__dirname, 'fixtures', 'echo-child.mjs'), [], {
      codec: 'raw',
      env: { ...process.env, IPC_CODEC: 'raw' },
    });
    const sizes = [0, 1, 65_536, 1 << 20, 3, (1 << 20) + 3, 200_000, 8 << 20, 7, 4 << 20];
    const sending = (async () => {
      for (let i = 0; i < sizes.length; i++) await channel.send(payload(sizes[i] as number, i));
    })();
    const buffer = Buffer.alloc(4 << 20);
    const results: string[] = [];
    for (let i = 0; i < sizes.length; i++) {
      const want = payload(sizes[i] as number, i);
      const n = await channel.recvInto(buffer).catch(async (err: unknown) => {
        expect(err).toMatchObject({ code: 'ERR_BUFFER_TOO_SMALL' });
        const whole = Buffer.from(await channel.recv()); // it stayed queued
        return whole.equals(want) ? -1 : -2;
      });
      results.push(
        n === -1 ? 'too small, then whole' : buffer.subarray(0, n).equals(want) ? 'ok' : `bad ${i}`,
      );
    }
    await sending;
    await channel.close();
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(results).toEqual([...Array(7).fill('ok'), 'too small, then whole', 'ok', 'ok']);
  });
});
