import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { json, raw, type Codec } from '@ipc/core';
import { streamChannel } from '@ipc/kit';

/** A codec that sends JSON and receives whatever the test expects next (JSON or raw bytes). */
function switchable(): Codec<unknown> & { rawNext: boolean } {
  return {
    name: 'switchable',
    rawNext: false,
    encode: (v) => (v instanceof Uint8Array ? raw.encode(v) : json.encode(v)),
    decode(bytes) {
      return this.rawNext ? raw.decode(bytes) : json.decode(bytes);
    },
  };
}

describe('streamChannel with a Python multiprocessing.connection peer (standard library only)', () => {
  it('exchanges JSON messages and 20 MiB payloads both ways', async () => {
    const child = spawn('python3', [join(__dirname, 'fixtures/python-peer.py')], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    const exited = once(child, 'exit');
    const codec = switchable();
    const ch = streamChannel(child.stdio[3] as Socket, { codec });

    for (let i = 0; i < 50; i++) await ch.send({ seq: i, text: 'héllo', list: [1, 2, 3] });
    for (let i = 0; i < 50; i++) {
      expect(await ch.recv()).toEqual({ echo: { seq: i, text: 'héllo', list: [1, 2, 3] }, from: 'python' });
    }

    const n = 20 * 1024 * 1024;
    codec.rawNext = true;
    await ch.send({ cmd: 'blob', n });
    const blob = (await ch.recv()) as Uint8Array;
    expect(blob.byteLength).toBe(n);
    expect([blob[0], blob[255], blob[256], blob[n - 1]]).toEqual([0, 255, 0, 255]);
    codec.rawNext = false;

    const mine = Buffer.alloc(n, 0xab);
    mine[0] = 1;
    await ch.send({ cmd: 'measure' });
    await ch.send(mine);
    expect(await ch.recv()).toEqual({ length: n, first: 1, last: 0xab });

    await ch.close();
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('reads what Python sends with the JSON codec by name', async () => {
    const child = spawn('python3', [join(__dirname, 'fixtures/python-peer.py')], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    const ch = streamChannel<unknown, { echo: unknown }>(child.stdio[3] as Socket, { codec: 'json' });
    await ch.send([1, 'two', { three: 3 }]);
    expect((await ch.recv()).echo).toEqual([1, 'two', { three: 3 }]);
    await ch.close();
    await once(child, 'exit');
    expect(json.name).toBe('json');
  });
});
