import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IpcError } from '@ipc/core';
import { connect, listen, type ErrorContext, type ListenOptions, type SocketServer } from '@ipc/socket';
import { jsonChild, type JsonChild } from './fixtures/child-json.js';
import { freshAddress } from './fixtures/servers.js';

const pythonClient = join(__dirname, 'fixtures', 'python-peer-client.py');
const open: { servers: SocketServer[]; sockets: Socket[]; children: JsonChild[]; removes: (() => void)[] } = {
  servers: [],
  sockets: [],
  children: [],
  removes: [],
};
afterEach(async () => {
  await Promise.all(open.children.splice(0).map((c) => c.kill()));
  for (const s of open.sockets.splice(0)) s.destroy();
  await Promise.all(open.servers.splice(0).map((s) => s.close()));
  for (const remove of open.removes.splice(0)) remove();
});

async function server(options: ListenOptions) {
  const { address, remove } = freshAddress('unix');
  open.removes.push(remove);
  const seen: { code: string; phase: string }[] = [];
  const s = await listen(address, {
    codec: 'json',
    onError: (err: IpcError, ctx: ErrorContext) => seen.push({ code: err.code, phase: ctx.phase }),
    ...options,
  });
  s.handle(() => 'ok');
  open.servers.push(s);
  return { server: s, path: (address as { path: string }).path, seen };
}

/** A raw socket that connects and never sends a byte. */
async function silent(path: string): Promise<Socket> {
  const socket = netConnect(path);
  open.sockets.push(socket);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.resume(); // reads (and drops) the challenge, so that the server's close is seen
  return socket;
}

describe('a full server says it is busy; unauthenticated sockets are limited', () => {
  it('with an authkey: connect rejects with ERR_BUSY (not ERR_AUTH) at maxConnections, for Node and Python clients', async () => {
    const { server: s, path, seen } = await server({ authkey: 'sesame', maxConnections: 1 });
    const first = await connect(s.address, { authkey: 'sesame', codec: 'json' });
    try {
      expect(await first.request('x', { timeout: 10_000 })).toBe('ok');
      await expect(
        connect(s.address, { authkey: 'sesame', codec: 'json', timeout: 10_000 }),
      ).rejects.toMatchObject({ code: 'ERR_BUSY' });
      expect(seen).toContainEqual({ code: 'ERR_BUSY', phase: 'limit' });
      // Python's multiprocessing Client (a real child process) gets a failure that says so.
      const python = jsonChild('python3', [pythonClient, path, 'sesame']);
      open.children.push(python);
      const out = await python.next();
      // AuthenticationError (Python ≥ 3.12) or AssertionError (older: an assert checks the challenge)
      expect(out.error).toMatch(/^(AuthenticationError|AssertionError)$/);
      expect(out.message).toContain('ERR_BUSY');
      // A wrong key is still ERR_AUTH, not busy, once there is room.
      await first.close();
      await expect(
        connect(s.address, { authkey: 'wrong', codec: 'json', timeout: 10_000 }),
      ).rejects.toMatchObject({
        code: 'ERR_AUTH',
      });
    } finally {
      await first.close();
    }
  }, 60_000);

  it('without an authkey: the refused client fails its request and recv with ERR_BUSY', async () => {
    const { server: s, seen } = await server({ maxConnections: 1 });
    const first = await connect(s.address, { codec: 'json' });
    try {
      expect(await first.request('x', { timeout: 10_000 })).toBe('ok');
      const second = await connect(s.address, { codec: 'json' });
      await expect(second.request('x', { timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_BUSY' });
      await expect(second.recv({ timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_BUSY' });
      await second.close();
      expect(seen).toContainEqual({ code: 'ERR_BUSY', phase: 'limit' });
    } finally {
      await first.close();
    }
  }, 60_000);

  it('silent sockets that never authenticate hold at most maxPendingHandshakes slots, for at most authTimeout', async () => {
    const { server: s, seen } = await server({
      authkey: 'sesame',
      maxConnections: 100,
      maxPendingHandshakes: 3,
      authTimeout: 3000,
    });
    const silents = await Promise.all(
      [1, 2, 3].map(() => silent(s.address.kind === 'unix' ? s.address.path : '')),
    );
    // The handshake slots are taken: one more is told the server is busy…
    await expect(
      connect(s.address, { authkey: 'sesame', codec: 'json', timeout: 10_000 }),
    ).rejects.toMatchObject({
      code: 'ERR_BUSY',
    });
    expect(seen).toContainEqual({ code: 'ERR_BUSY', phase: 'limit' });
    // …and once authTimeout has closed the silent ones, clients get in again.
    await Promise.all(silents.map((socket) => once(socket, 'close')));
    const ok = await connect(s.address, { authkey: 'sesame', codec: 'json', timeout: 10_000 });
    expect(await ok.request('x', { timeout: 10_000 })).toBe('ok');
    await ok.close();
  }, 60_000);

  it('a client without an authkey talking to a server that wants one gets ERR_AUTH, promptly', async () => {
    const { server: s } = await server({ authkey: 'sesame', authTimeout: 30_000 });
    const attempt = async () => {
      const client = await connect(s.address, { codec: 'json' });
      try {
        return await client.request('x', { timeout: 10_000 });
      } finally {
        await client.close();
      }
    };
    // From connect when the challenge is already there, else from the first request; never a
    // decode error, a lost peer, or a wait for the server's 30 s handshake timeout.
    await expect(attempt()).rejects.toMatchObject({ code: 'ERR_AUTH' });
  }, 60_000);
});
