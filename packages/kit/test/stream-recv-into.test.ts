import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { streamChannel, type StreamChannel } from '@ipc/kit';
import { tempDir } from '@ipc/core/testing';
import { unixSocketPair } from './fixtures/socket-pair.js';

// The split writer (a child process) sends frames of these sizes, frame i filled with (i + k) & 0xff.
const SIZES = [0, 1, 3, 100, 65535, 65536, 65537, 200000, 3 * 1024 * 1024, 7];

let dir: ReturnType<typeof tempDir>;
let server: Server | undefined;
beforeEach(() => {
  dir = tempDir('ipc-core-into-');
});
afterEach(async () => {
  if (server) await new Promise((r) => server?.close(r));
  server = undefined;
  dir.remove();
});

type RawChannel = StreamChannel<never, Uint8Array>;

/** Runs the split writer child for `count` frames against a channel on the accepted socket. */
async function fromChild<T>(count: number, consume: (ch: RawChannel) => Promise<T>): Promise<T> {
  const path = join(dir.path, 's.sock');
  let result!: Promise<T>;
  server = createServer((socket: Socket) => {
    result = consume(streamChannel<never, Uint8Array>(socket, { codec: 'raw' }));
  });
  await new Promise<void>((r) => server?.listen(path, r));
  const child = spawn(process.execPath, [join(__dirname, 'fixtures/split-writer.cjs'), path, String(count)], {
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'exit')) as [number];
  expect(code).toBe(0);
  return result;
}

/** Throws unless `frame` is frame `i` of the split writer. */
function checkFrame(i: number, frame: Uint8Array): void {
  const n = SIZES[i % SIZES.length] as number;
  if (frame.byteLength !== n) throw new Error(`frame ${i}: ${frame.byteLength} bytes, expected ${n}`);
  for (let k = 0; k < n; k += k < 70000 ? 1 : 4093) {
    if (frame[k] !== ((i + k) & 0xff)) throw new Error(`frame ${i} byte ${k}: ${String(frame[k])}`);
  }
}

const isClosed = (err: unknown): boolean => isIpcError(err, 'ERR_CLOSED');

describe('recvInto (bytes into the caller’s buffer, like Python’s recv_bytes_into)', () => {
  it('receives every message into one reused buffer, whatever the splits, in order', async () => {
    const n = await fromChild(40, async (ch) => {
      const buffer = Buffer.alloc(4 << 20);
      let i = 0;
      for (;;) {
        const got = await ch
          .recvInto(buffer)
          .catch((err: unknown) => (isClosed(err) ? -1 : Promise.reject(err)));
        if (got < 0) break;
        checkFrame(i++, buffer.subarray(0, got));
      }
      await ch.close();
      return i;
    });
    expect(n).toBe(40);
  });

  it('mixes with recv: messages received with recv keep their bytes when the buffer is reused', async () => {
    const kept = await fromChild(40, async (ch) => {
      const buffer = Buffer.alloc(4 << 20);
      const received: Uint8Array[] = [];
      for (let i = 0; i < 40; i++) {
        if (i % 3 === 1) received.push(await ch.recv());
        else checkFrame(i, buffer.subarray(0, await ch.recvInto(buffer)));
      }
      await ch.close();
      return received;
    });
    kept.forEach((frame, j) => checkFrame(j * 3 + 1, frame));
  });

  it('rejects a message too big for the room with ERR_BUFFER_TOO_SMALL and keeps it for the next receive', async () => {
    const result = await fromChild(30, async (ch) => {
      const buffer = Buffer.alloc(1 << 20);
      let tooSmall = 0;
      for (let i = 0; i < 30; i++) {
        const got = await ch.recvInto(buffer).catch((err: unknown) => {
          if (!isIpcError(err, 'ERR_BUFFER_TOO_SMALL')) throw err;
          return -1;
        });
        if (got >= 0) {
          checkFrame(i, buffer.subarray(0, got));
        } else {
          tooSmall++;
          checkFrame(i, await ch.recv()); // the same message, whole
        }
      }
      await ch.close();
      return tooSmall;
    });
    expect(result).toBe(3); // frames 8, 18 and 28 have 3 MiB
  });

  it('lends the buffer to one message only: the next one, received with recv, is its own', async () => {
    const path = join(dir.path, 'lend.sock');
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer(resolve);
    });
    await new Promise<void>((r) => server?.listen(path, r));
    const client = connect(path);
    const ch = streamChannel<never, Uint8Array>(await accepted, { codec: 'raw' });
    try {
      const frame = (n: number, fill: number): Buffer => {
        const f = Buffer.alloc(4 + n, fill);
        f.writeUInt32BE(n, 0);
        return f;
      };
      const small = frame(100, 0x31);
      const big = frame(200_000, 0x32);
      const buffer = Buffer.alloc(1 << 20);
      const into = ch.recvInto(buffer);
      // The small message and the start of the big one in one write: the big one must not land in `buffer`.
      client.write(Buffer.concat([small, big.subarray(0, 5000)]));
      expect(await into).toBe(100);
      const next = ch.recv();
      client.write(big.subarray(5000));
      const got = await next;
      buffer.fill(0);
      expect(got.byteLength).toBe(200_000);
      expect(got.every((v) => v === 0x32)).toBe(true);
    } finally {
      client.destroy();
      await ch.close();
    }
  });

  // Shared with every transport (offset, timeout, bad arguments, msgpack): stream-recv-into-conformance.test.ts.
  it('refuses a channel with a validator with ERR_UNSUPPORTED', async () => {
    const checked = await unixSocketPair({ codec: 'raw', validate: (v: unknown) => v });
    try {
      await expect((checked.b as RawChannel).recvInto(Buffer.alloc(16))).rejects.toMatchObject({
        code: 'ERR_UNSUPPORTED',
      });
    } finally {
      await checked.a.close();
      await checked.b.close();
      await checked.cleanup?.();
    }
  });
});
