import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { streamChannel } from '@ipc/kit';
import { tempDir } from '@ipc/core/testing';

const SIZES = [0, 1, 3, 100, 65535, 65536, 65537, 200000, 3 * 1024 * 1024, 7];

let dir: ReturnType<typeof tempDir>;
let server: Server | undefined;
beforeEach(() => {
  dir = tempDir('ipc-core-direct-');
});
afterEach(async () => {
  if (server) await new Promise((r) => server?.close(r));
  server = undefined;
  dir.remove();
});

/** Whether Node's `onread` mode is on for `socket` (the field Node's own option sets). */
function readsDirect(socket: Socket): boolean {
  const k = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'kBuffer');
  return k !== undefined && (socket as unknown as Record<symbol, unknown>)[k] !== null;
}

/** Starts a server and the split writer in a child process; resolves with the child's exit. */
async function acceptFromChild(count: number, onSocket: (s: Socket) => void): Promise<Promise<unknown>> {
  const path = join(dir.path, 's.sock');
  server = createServer(onSocket);
  await new Promise<void>((r) => server?.listen(path, r));
  const child = spawn(process.execPath, [join(__dirname, 'fixtures/split-writer.cjs'), path, String(count)], {
    stdio: 'inherit',
  });
  return once(child, 'exit');
}

function checkFrame(i: number, frame: Uint8Array): void {
  const n = SIZES[i % SIZES.length] as number;
  expect(frame.byteLength).toBe(n);
  for (const k of [0, 1, n >> 1, n - 1]) {
    if (k >= 0 && k < n && frame[k] !== ((i + k) & 0xff)) {
      throw new Error(`frame ${i} byte ${k}: ${String(frame[k])}`);
    }
  }
}

/** Reads every frame of `ch`, checking each; resolves with the count. */
async function drain(ch: ReturnType<typeof streamChannel<never, Uint8Array>>, slow = false): Promise<number> {
  let i = 0;
  for (;;) {
    let frame: Uint8Array;
    try {
      frame = await ch.recv();
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_CLOSED') break;
      throw err;
    }
    checkFrame(i++, frame);
    if (slow && i % 10 === 0) await new Promise((r) => setTimeout(r, 2));
  }
  await ch.close();
  return i;
}

/** Runs the writer child against a server whose accepted socket `consume` reads; waits for both. */
async function run<T>(count: number, consume: (socket: Socket) => Promise<T>): Promise<T> {
  let result!: Promise<T>;
  let accepted!: () => void;
  const connected = new Promise<void>((resolve) => (accepted = resolve));
  const exited = await acceptFromChild(count, (socket) => {
    result = consume(socket);
    accepted();
  });
  await connected;
  const [value] = await Promise.all([result, exited]);
  return value;
}

it('reads an accepted socket straight into message buffers, whatever the splits, in order', async () => {
  const { direct, n } = await run(60, async (socket) => {
    const ch = streamChannel<never, Uint8Array>(socket, { codec: 'raw' });
    const direct = readsDirect(socket);
    return { direct, n: await drain(ch) };
  });
  expect({ direct, n }).toEqual({ direct: true, n: 60 });
});

it('delivers bytes the socket buffered before the channel was made first, then reads directly', async () => {
  const { direct, n } = await run(30, async (socket) => {
    // Let some bytes pile up in the stream's own buffer, as a handshake reader leaves them.
    socket.pause();
    await once(socket, 'readable');
    expect(socket.readableLength).toBeGreaterThan(0);
    socket.unshift(socket.read() as Buffer);
    const ch = streamChannel<never, Uint8Array>(socket, { codec: 'raw' });
    const direct = readsDirect(socket);
    socket.resume();
    return { direct, n: await drain(ch) };
  });
  expect({ direct, n }).toEqual({ direct: true, n: 30 });
});

it('pauses and resumes direct reads under backpressure without losing a byte', async () => {
  const n = await run(200, (socket) =>
    drain(streamChannel<never, Uint8Array>(socket, { codec: 'raw', highWaterMessages: 2 }), true),
  );
  expect(n).toBe(200);
});
