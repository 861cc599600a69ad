import type { Socket } from 'node:net';
import { Inbox } from '@ipc/kit';
import type { Link } from '../adapter.js';

/**
 * What a Node user writes by hand over `net`: `[u32 BE length][payload]` frames, JSON text for
 * objects and the bytes as they are for buffers; `write()` → `false` waits for `'drain'`.
 */
export function rawFramedSocketLink(socket: Socket, bytes: boolean): Link {
  const inbox = new Inbox<unknown>();
  const chunks: Buffer[] = [];
  let buffered = 0;
  let need = -1; // payload length of the frame being read, -1 while reading the header

  const take = (n: number): Buffer => {
    const first = chunks[0]!;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) chunks.shift();
      else chunks[0] = first.subarray(n);
      buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = chunks[0]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) chunks.shift();
      else chunks[0] = c.subarray(k);
    }
    buffered -= n;
    return out;
  };

  socket.on('data', (data: Buffer) => {
    chunks.push(data);
    buffered += data.length;
    for (;;) {
      if (need < 0) {
        if (buffered < 4) return;
        need = take(4).readUInt32BE(0);
      }
      if (buffered < need) return;
      const payload = take(need);
      need = -1;
      if (bytes) inbox.push(payload);
      else {
        try {
          inbox.push(JSON.parse(payload.toString('utf8')));
        } catch (err) {
          inbox.pushError(err);
        }
      }
    }
  });
  socket.on('end', () => inbox.end());
  socket.on('error', (err) => inbox.fail(err));

  let drained: Promise<void> | undefined;
  const waitDrain = (): Promise<void> =>
    (drained ??= new Promise<void>((resolve) =>
      socket.once('drain', () => {
        drained = undefined;
        resolve();
      }),
    ));

  return {
    send(message) {
      let ok: boolean;
      if (bytes) {
        const body = message as Uint8Array;
        const header = Buffer.allocUnsafe(4);
        header.writeUInt32BE(body.length, 0);
        socket.cork();
        socket.write(header);
        ok = socket.write(body);
        socket.uncork();
      } else {
        const text = JSON.stringify(message);
        const len = Buffer.byteLength(text);
        const frame = Buffer.allocUnsafe(4 + len);
        frame.writeUInt32BE(len, 0);
        frame.write(text, 4, 'utf8');
        ok = socket.write(frame);
      }
      return ok ? undefined : waitDrain();
    },
    recv: () => inbox.recv(),
    close() {
      inbox.close();
      return new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 2000).unref();
      });
    },
  };
}
