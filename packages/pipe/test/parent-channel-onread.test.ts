import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { forkChannel } from '@ipc/pipe';
import { payload } from './fixtures/payload.js';

describe("parentChannel reading with onread (reads into the messages' own buffers)", () => {
  it('echoes messages of every size, interleaved, intact and in order', async () => {
    const { channel, exited } = forkChannel<Uint8Array>(join(__dirname, 'fixtures', 'echo-child.mjs'), [], {
      codec: 'raw',
      env: { ...process.env, IPC_CODEC: 'raw' },
      maxFrameBytes: 64 * 1024 * 1024,
    });
    const sizes = [0, 1, 3, 4, 5, 100, 65_535, 65_536, 65_537, 200_000, 1 << 20, 16 << 20, 7, (1 << 20) + 3];
    for (let round = 0; round < 3; round++)
      sizes.push(...Array.from({ length: 2000 }, (_, i) => (i * 53) % 700));
    const sending = (async () => {
      for (let i = 0; i < sizes.length; i++) await channel.send(payload(sizes[i] as number, i));
    })();
    for (let i = 0; i < sizes.length; i++) {
      const got = Buffer.from(await channel.recv());
      const want = payload(sizes[i] as number, i);
      if (!got.equals(want))
        expect({ i, length: got.length }).toEqual({ i, length: want.length, same: true });
    }
    await sending;
    await channel.close();
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
