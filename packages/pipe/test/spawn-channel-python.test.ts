import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { spawnChannel } from '@ipc/pipe';

const echo = join(__dirname, 'fixtures', 'python-echo.py');

describe('spawnChannel with a Python child (multiprocessing.connection.Connection(3), standard library only)', () => {
  it('exchanges JSON messages, and the exit code is observable', async () => {
    const { channel, exited } = spawnChannel('python3', [echo], { codec: 'json' });
    const messages = Array.from({ length: 200 }, (_, i) => ({ i, text: 'héllo ☃', list: [i, null, true] }));
    for (const m of messages) await channel.send(m);
    for (const m of messages) expect(await channel.recv()).toEqual(m);
    await channel.close();
    expect(await exited).toEqual({ code: 7, signal: null });
  });

  it('carries a 100 MiB message to Python and a 100 MiB message back (maxFrameBytes raised)', async () => {
    const n = 100 * 1024 * 1024;
    const { channel, exited } = spawnChannel<Uint8Array>('python3', [echo], {
      codec: 'raw',
      maxFrameBytes: 128 * 1024 * 1024,
    });
    const big = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4096) big.writeUInt32BE(i, i);
    const [, back] = await Promise.all([channel.send(big), channel.recv()]);
    expect(back.byteLength).toBe(n);
    expect(Buffer.from(back.buffer, back.byteOffset, back.byteLength).equals(big)).toBe(true);
    await channel.close();
    expect(await exited).toEqual({ code: 7, signal: null });
  });

  it('refuses a message over maxFrameBytes from the child with ERR_FRAME_TOO_LARGE', async () => {
    const { channel, exited } = spawnChannel<Uint8Array>('python3', [echo], {
      codec: 'raw',
      maxFrameBytes: 1024,
    });
    await channel.send(Buffer.alloc(2048, 1));
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });
    await channel.close();
    await exited;
  });
});
