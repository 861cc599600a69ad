import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { connect, listen } from '@ipc/socket';
import { pythonScript } from './fixtures/python-script.js';

/**
 * Python's own multiprocessing.connection programs, unchanged (send/recv: pickle; an authkey), as
 * peers of @ipc/socket with the pickle codec. The 100 MiB values need `maxFrameBytes` above the
 * 64 MiB default: these tests set 128 MiB on the Node side (Python's recv has no limit).
 */
const MAX = 128 * 1024 * 1024;
const BIG = 100 * 1024 * 1024;

const python = (args: string[]) => pythonScript('python-pickle-peer.py', args);

/** The value Python's MESSAGE is on the Node side. */
const message = {
  nested: { a: { b: [1, 2, { c: null }] }, empty: {} },
  list: [1, -1, 255, 65536, -(2 ** 31), 2.5, true, false, null],
  bytes: Buffer.from([0, 1, 0xfe, 0xff]),
  big: 2n ** 100n,
  neg_big: -(2n ** 70n),
  float: 1e-300,
  text: 'héllo ☃ 日本 🎉',
  inf: Infinity,
};
const messageRepr =
  "{'nested': {'a': {'b': [1, 2, {'c': None}]}, 'empty': {}}, 'list': [1, -1, 255, 65536, -2147483648, 2.5, True, False, None], " +
  "'bytes': b'\\x00\\x01\\xfe\\xff', 'big': 1267650600228229401496703205376, 'neg_big': -1180591620717411303424, " +
  "'float': 1e-300, 'text': 'héllo ☃ 日本 🎉', 'inf': inf}";

function bigBytes(): Buffer {
  const b = Buffer.allocUnsafe(BIG);
  for (let i = 0; i < BIG; i++) b[i] = i & 255;
  return b;
}

const kinds = ['unix', 'abstract', 'tcp'] as const;

function addresses(kind: (typeof kinds)[number], dir: string) {
  // 107 bytes, the whole sun_path: Node 20's libuv pads an abstract name with NULs to 108 bytes when
  // it binds or connects (newer libuv does not), so only a full-length name is the same socket for
  // a Python Listener (which binds the name exactly) and a Node 20 client.
  const name = `ipc-pickle-${process.pid}-${Math.random().toString(36).slice(2)}-`.padEnd(107, 'x');
  if (kind === 'unix') return { python: join(dir, 'py.sock'), node: `unix://${join(dir, 'py.sock')}` };
  if (kind === 'abstract') return { python: name, node: `unix-abstract:${name}` };
  return { python: '127.0.0.1:0', node: '' };
}

describe('Python multiprocessing.connection send()/recv() with an authkey, and @ipc/socket with the pickle codec', () => {
  it.each(kinds)(
    'a Node client talks to a Python Listener (%s)',
    async (kind) => {
      const dir = tempDir();
      const a = addresses(kind, dir.path);
      const py = python(['listener', kind, a.python, 'sesame']);
      try {
        const ready = (await py.line('ready ')).slice('ready '.length);
        const where = kind === 'tcp' ? `tcp://${ready}` : a.node;
        const client = await connect<unknown, { echo: unknown; repr: string }>(where, {
          codec: 'pickle',
          authkey: 'sesame',
          maxFrameBytes: MAX,
          timeout: 30_000,
        });
        for (let i = 0; i < 3; i++) {
          await client.send(message);
          const back = await client.recv({ timeout: 60_000 });
          expect(back.repr).toBe(messageRepr);
          expect(back.echo).toEqual(message);
        }
        const big = bigBytes();
        await client.send(big);
        const back = await client.recv({ timeout: 120_000 });
        expect(back.repr).toBe(`bytes ${BIG}`);
        expect(Buffer.isBuffer(back.echo) && back.echo.equals(big)).toBe(true);
        await client.send('stop');
        const [code] = await py.exited;
        expect(py.stderr()).toBe('');
        expect(code).toBe(0);
        await client.close();
      } finally {
        if (py.child.exitCode === null) py.child.kill('SIGKILL');
        dir.remove();
      }
    },
    240_000,
  );

  it.each(kinds)(
    'a Node server answers a Python Client (%s)',
    async (kind) => {
      const dir = tempDir();
      const a = addresses(kind, dir.path);
      const server = await listen<unknown, unknown>(kind === 'tcp' ? 'tcp://127.0.0.1:0' : a.node, {
        codec: 'pickle',
        authkey: 'sesame',
        maxFrameBytes: MAX,
      });
      const where = server.address.kind === 'tcp' ? `127.0.0.1:${server.address.port}` : a.python;
      const py = python(['client', kind, where, 'sesame']);
      try {
        const conn = await server.accept({ timeout: 30_000 });
        const received: unknown[] = [];
        for (let i = 0; i < 4; i++) {
          const m = await conn.recv({ timeout: 120_000 });
          received.push(m);
          await conn.send(m);
        }
        expect(received.slice(0, 3)).toEqual([message, message, message]);
        expect((received[3] as Buffer).byteLength).toBe(BIG);
        const [code] = await py.exited;
        expect(py.stderr()).toBe('');
        expect(code).toBe(0);
        expect(await py.line('python client ok')).toBe('python client ok');
      } finally {
        if (py.child.exitCode === null) py.child.kill('SIGKILL');
        await server.close();
        dir.remove();
      }
    },
    240_000,
  );
});
