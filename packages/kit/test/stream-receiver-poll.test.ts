import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { streamReceiver } from '@ipc/kit';
import { tempDir } from '@ipc/core/testing';

it('poll() takes buffered messages without waiting, throws a bad one in its place, then the end', async () => {
  const dir = tempDir('ipc-core-poll-');
  const path = join(dir.path, 'p.sock');
  const server = createServer();
  await new Promise<void>((r) => server.listen(path, r));
  try {
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect(path);
    const [socket] = await accepted;
    const rx = streamReceiver<{ n: number }>(socket, { codec: 'json' });
    const ended = once(socket, 'end');
    expect(rx.poll()).toBeUndefined();

    const frame = (text: string): Buffer => {
      const body = Buffer.from(text);
      const header = Buffer.alloc(4);
      header.writeUInt32BE(body.length);
      return Buffer.concat([header, body]);
    };
    // The third frame holds `{`: not JSON.
    client.end(Buffer.concat(['{"n":1}', '{"n":2}', '{', '{"n":3}'].map(frame)));

    await ended; // every frame the peer wrote has been read and decoded
    expect(rx.poll()).toEqual({ value: { n: 1 } });
    expect(rx.poll()).toEqual({ value: { n: 2 } });
    expect(thrownCode(() => rx.poll())).toBe('ERR_DECODE');
    expect(rx.poll()).toEqual({ value: { n: 3 } });
    expect(thrownCode(() => rx.poll())).toBe('ERR_CLOSED');
    await rx.close();
  } finally {
    await new Promise((r) => server.close(r));
    dir.remove();
  }
});

function thrownCode(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  return 'nothing thrown';
}
