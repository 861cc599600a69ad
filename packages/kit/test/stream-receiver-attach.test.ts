import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { IpcError } from '@ipc/core';
import { streamReceiver, streamSender, type StreamReceiver } from '@ipc/kit';
import { tempDir } from '@ipc/core/testing';

const writer = join(__dirname, 'fixtures', 'session-writer.cjs');

type Step = { size: number; seed: number; cut?: number } | { marker: 'open' | 'close' } | { bytes: string };

/** A child process that writes `steps` to its stdout and exits: one session's readable. */
function session(steps: Step[]): Readable {
  const child = spawn(process.execPath, [writer, JSON.stringify(steps)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return child.stdout;
}

/** The bytes of frame `{ size, seed }` as the writer makes them. */
function frame(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (seed + k) & 0xff;
  return b;
}

const code = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (err: IpcError) => err.code,
  );

let receivers: StreamReceiver<unknown>[] = [];
function raw(sessions: boolean, extra: { expectCloseMarker?: boolean; maxFrameBytes?: number } = {}) {
  const rx = streamReceiver<Uint8Array>(undefined, { codec: 'raw', sessions, ...extra });
  receivers.push(rx);
  return rx;
}
afterEach(async () => {
  for (const rx of receivers) await rx.close();
  receivers = [];
});

describe('StreamReceiver.attach: one receive pipeline across a sequence of readables', () => {
  it('receives the messages of several child processes in order, one session after another', async () => {
    const rx = raw(true);
    const waiting = rx.recv(); // waits before anything is attached
    for (let s = 0; s < 3; s++) {
      const ended = rx.attach(
        session([
          { size: 10 + s, seed: s },
          { size: 200_000, seed: 100 + s },
        ]),
      );
      expect(await ended).toBeUndefined(); // a clean end
    }
    expect(Buffer.from(await waiting).equals(frame(10, 0))).toBe(true);
    expect(Buffer.from(await rx.recv()).equals(frame(200_000, 100))).toBe(true);
    for (let s = 1; s < 3; s++) {
      expect(Buffer.from(await rx.recv()).equals(frame(10 + s, s))).toBe(true);
      expect(Buffer.from(await rx.recv()).equals(frame(200_000, 100 + s))).toBe(true);
    }
    // Every session ended, the receiver did not: it waits for the next attach.
    expect(await code(rx.recv({ timeout: 50 }))).toBe('ERR_TIMEOUT');
  });

  it('keeps a recv waiting across the gap between two sessions', async () => {
    const rx = raw(true);
    await rx.attach(session([]));
    const waiting = rx.recv();
    await new Promise((r) => setTimeout(r, 50)); // the gap: nothing attached
    void rx.attach(session([{ size: 5, seed: 7 }]));
    expect(Buffer.from(await waiting).equals(frame(5, 7))).toBe(true);
  });

  it('fails one recv with ERR_PEER_GONE for a frame cut off at a session end, never glued to the next', async () => {
    const rx = raw(true);
    const ended = await rx.attach(
      session([
        { size: 3, seed: 1 },
        { size: 100_000, seed: 2, cut: 70_000 },
      ]),
    );
    expect(ended).toBeInstanceOf(IpcError);
    expect(ended?.code).toBe('ERR_PEER_GONE');
    // The next session's bytes would complete the cut frame if they were glued to it.
    await rx.attach(session([{ bytes: '00'.repeat(30_000) }, { size: 4, seed: 9 }]));
    expect(Buffer.from(await rx.recv()).equals(frame(3, 1))).toBe(true);
    expect(await code(rx.recv())).toBe('ERR_PEER_GONE');
    // 30 000 zero bytes decode as 7 500 empty frames (a zero header each), then the whole frame.
    for (let i = 0; i < 7_500; i++) expect((await rx.recv()).byteLength).toBe(0);
    expect(Buffer.from(await rx.recv()).equals(frame(4, 9))).toBe(true);
  });

  it('ends the receiver at a cut frame without sessions (the default)', async () => {
    const rx = raw(false);
    const ended = await rx.attach(session([{ size: 10, seed: 0, cut: 4 }]));
    expect(ended?.code).toBe('ERR_PEER_GONE');
    expect(await code(rx.recv())).toBe('ERR_PEER_GONE');
    expect(() => rx.attach(session([]))).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });

  it('ends cleanly with the readable without sessions, then refuses another', async () => {
    const rx = raw(false);
    await rx.attach(session([{ size: 2, seed: 0 }]));
    expect((await rx.recv()).byteLength).toBe(2);
    expect(await code(rx.recv())).toBe('ERR_CLOSED');
    expect(() => rx.attach(session([]))).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });

  it('drops the rest of a session it cannot decode, reports it once, and reads the next one', async () => {
    const rx = raw(true, { maxFrameBytes: 1024 });
    // (A frame completed in the same read as the bad header is not delivered: the decoder's push throws.)
    const ended = await rx.attach(
      session([
        { size: 5000, seed: 0 },
        { size: 6, seed: 4 },
      ]),
    );
    expect(ended?.code).toBe('ERR_FRAME_TOO_LARGE');
    await rx.attach(session([{ size: 7, seed: 5 }]));
    expect(await code(rx.recv())).toBe('ERR_FRAME_TOO_LARGE');
    expect(Buffer.from(await rx.recv()).equals(frame(7, 5))).toBe(true);
  });

  it('judges the close marker per session: an announced writer that did not close is ERR_PEER_GONE', async () => {
    const rx = raw(true, { expectCloseMarker: true });
    expect(await rx.attach(session([{ size: 1, seed: 0 }, { marker: 'close' }]))).toBeUndefined();
    expect((await rx.attach(session([{ size: 2, seed: 0 }])))?.code).toBe('ERR_PEER_GONE');
    const announced = await rx.attach(session([{ marker: 'open' }, { size: 3, seed: 0 }]));
    expect(announced?.code).toBe('ERR_PEER_GONE');
    expect((await rx.recv()).byteLength).toBe(1);
    expect((await rx.recv()).byteLength).toBe(2);
    expect(await code(rx.recv())).toBe('ERR_PEER_GONE');
    expect((await rx.recv()).byteLength).toBe(3);
    expect(await code(rx.recv())).toBe('ERR_PEER_GONE');
  });

  it('rejects a recv waiting for the next attach with ERR_CLOSED on close, and refuses attach after', async () => {
    const rx = raw(true);
    await rx.attach(session([]));
    const waiting = code(rx.recv());
    await rx.close();
    expect(await waiting).toBe('ERR_CLOSED');
    expect(() => rx.attach(session([]))).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });

  it('end() finishes a receiver with sessions: buffered messages first, then the error', async () => {
    const rx = raw(true);
    await rx.attach(session([{ size: 8, seed: 0 }]));
    rx.end(new IpcError('ERR_PEER_GONE', 'gave up reconnecting'));
    expect((await rx.recv()).byteLength).toBe(8);
    expect(await code(rx.recv())).toBe('ERR_PEER_GONE');
    const clean = raw(true);
    clean.end();
    const got: Uint8Array[] = [];
    for await (const m of clean) got.push(m);
    expect(got).toEqual([]);
  });

  it('refuses a second readable while the first is still being read (ERR_INVALID_STATE)', async () => {
    const rx = raw(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ended = rx.attach(child.stdout);
    expect(() => rx.attach(session([]))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_STATE' }));
    child.kill('SIGKILL');
    expect(await ended).toBeUndefined();
  });

  it('reads big messages straight into a recvInto buffer in every session', async () => {
    const rx = raw(true);
    const buffer = Buffer.alloc(1 << 20);
    for (let s = 0; s < 3; s++) {
      const ended = rx.attach(session([{ size: 300_000 + s, seed: s }]));
      const n = rx.recvInto(buffer); // offered to this session's decoder before its bytes arrive
      expect(await n).toBe(300_000 + s);
      expect(buffer.subarray(0, 300_000 + s).equals(frame(300_000 + s, s))).toBe(true);
      expect(await ended).toBeUndefined();
    }
  });
});

describe('StreamReceiver.attach over reconnecting Unix socket connections', () => {
  let server: Server | undefined;
  const dir = tempDir('ipc-kit-attach-');
  afterEach(async () => {
    if (server) await new Promise((r) => server?.close(r));
    server = undefined;
  });
  afterAll(() => dir.remove());

  it('one receiver reads connection after connection; close ends it', async () => {
    const path = join(dir.path, 'a.sock');
    const accepted: Socket[] = [];
    const next: ((s: Socket) => void)[] = [];
    server = createServer((s) => {
      const waiter = next.shift();
      if (waiter) waiter(s);
      else accepted.push(s);
    });
    await new Promise<void>((r) => server?.listen(path, r));
    const acceptOne = (): Promise<Socket> =>
      accepted.length > 0 ? Promise.resolve(accepted.shift() as Socket) : new Promise((r) => next.push(r));
    const rx = streamReceiver<{ n: number }>(undefined, { codec: 'json', sessions: true });
    receivers.push(rx);
    for (let c = 0; c < 3; c++) {
      const client = connect(path);
      await once(client, 'connect');
      const ended = rx.attach(await acceptOne());
      const tx = streamSender<{ n: number }>(client, { codec: 'json' });
      await tx.send({ n: c * 10 });
      await tx.send({ n: c * 10 + 1 });
      await tx.close();
      expect(await ended).toBeUndefined();
    }
    const got: number[] = [];
    for (let i = 0; i < 6; i++) got.push((await rx.recv()).n);
    expect(got).toEqual([0, 1, 10, 11, 20, 21]);
    const last = code(rx.recv());
    await rx.close();
    expect(await last).toBe('ERR_CLOSED');
  });
});
