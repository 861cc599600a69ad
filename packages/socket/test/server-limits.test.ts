import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import type { IpcError } from '@ipc/core';
import { connect, listen, type ErrorContext } from '@ipc/socket';
import { freshAddress } from './fixtures/servers.js';

function recorder() {
  const seen: { code: string; phase: string }[] = [];
  return {
    seen,
    onError: (err: IpcError, ctx: ErrorContext) => seen.push({ code: err.code, phase: ctx.phase }),
    until: async (phase: string) => {
      while (!seen.some((s) => s.phase === phase)) await new Promise((r) => setTimeout(r, 5));
    },
  };
}

describe('server limits: bad clients are cut off and reported, the others go on', () => {
  it('disconnects a client that sends garbage or an oversized header, and keeps serving', async () => {
    const { address, remove } = freshAddress('unix');
    const log = recorder();
    const server = await listen(address, { maxFrameBytes: 1024, onError: log.onError });
    server.handle((n: number) => n * 2);
    const good = await connect(server.address);
    try {
      const raw = netConnect((server.address as { path: string }).path);
      await once(raw, 'connect');
      raw.resume();
      raw.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'); // reads as a 1.2 GB frame header
      await once(raw, 'close');
      await log.until('read');
      expect(log.seen).toContainEqual({ code: 'ERR_FRAME_TOO_LARGE', phase: 'read' });

      const big = await connect(server.address, { codec: 'raw' });
      await big.send(new Uint8Array(4096)).catch(() => undefined);
      await expect(big.recv({ timeout: 5000 })).rejects.toMatchObject({
        code: expect.stringMatching(/ERR_CLOSED|ERR_PEER_GONE/),
      });
      await big.close();

      // A frame that is not msgpack: reported, the connection goes on.
      const junk = netConnect((server.address as { path: string }).path);
      await once(junk, 'connect');
      junk.write(Buffer.from([0, 0, 0, 1, 0x92])); // a msgpack array of 2 with no elements
      await log.until('decode');
      junk.destroy();

      expect(await good.request(21, { timeout: 5000 })).toBe(42);
    } finally {
      await good.close();
      await server.close();
      remove();
    }
  });

  it('refuses connections over maxConnections, and closes idle ones', async () => {
    const { address, remove } = freshAddress('tcp');
    const log = recorder();
    const server = await listen(address, { maxConnections: 2, idleTimeout: 300, onError: log.onError });
    server.handle(() => 'ok');
    try {
      const a = await connect(server.address);
      const b = await connect(server.address);
      expect(await a.request('x')).toBe('ok');
      expect(await b.request('x')).toBe('ok');
      const c = await connect(server.address);
      await expect(c.request('x', { timeout: 5000 })).rejects.toMatchObject({ code: 'ERR_BUSY' });
      expect(log.seen).toContainEqual({ code: 'ERR_BUSY', phase: 'limit' });
      await c.close();
      // a and b now stay silent: the idle timeout closes them
      await expect(a.recv({ timeout: 5000 })).rejects.toMatchObject({
        code: expect.stringMatching(/ERR_CLOSED|ERR_PEER_GONE/),
      });
      expect(log.seen).toContainEqual({ code: 'ERR_TIMEOUT', phase: 'idle' });
      await Promise.all([a.close(), b.close()]);
      const d = await connect(server.address);
      expect(await d.request('x', { timeout: 5000 })).toBe('ok');
      await d.close();
    } finally {
      await server.close();
      remove();
    }
  });

  it('cuts off a client that never finishes the authkey handshake', async () => {
    const { address, remove } = freshAddress('abstract');
    const log = recorder();
    const server = await listen(address, { authkey: 'k', authTimeout: 200, onError: log.onError });
    try {
      const raw = netConnect(`\0${(server.address as { name: string }).name}`);
      await once(raw, 'connect');
      raw.resume(); // read (and drop) the challenge, so the close is seen
      await once(raw, 'close');
      expect(log.seen).toContainEqual({ code: 'ERR_AUTH', phase: 'auth' });
      const wrong = await connect(server.address, { authkey: 'x' }).catch((e: unknown) => e);
      expect(wrong).toMatchObject({ code: 'ERR_AUTH' });
      const right = await connect(server.address, { authkey: 'k' });
      expect(right.info.auth).toEqual({ sent: 'sha256', received: 'sha256' });
      await right.close();
    } finally {
      await server.close();
      remove();
    }
  });
});
