import { describe, expect, it } from '@jest/globals';
import { IpcError } from '@ipc/core';
import { connect, listen, type RequestContext } from '@ipc/socket';
import { freshAddress } from './fixtures/servers.js';

async function serverAndClient() {
  const { address, remove } = freshAddress('unix');
  const server = await listen(address);
  const client = await connect(server.address);
  return {
    server,
    client,
    done: async () => {
      await client.close();
      await server.close();
      remove();
    },
  };
}

describe('request/reply', () => {
  it('matches many replies in flight to their requests, whatever order the handler finishes in', async () => {
    const { server, client, done } = await serverAndClient();
    try {
      server.handle(async (req: { n: number }) => {
        await new Promise((r) => setTimeout(r, (req.n * 7) % 13));
        return { n: req.n, square: req.n * req.n };
      });
      const replies = await Promise.all(
        Array.from({ length: 500 }, (_, n) => client.request<{ n: number; square: number }>({ n })),
      );
      replies.forEach((r, n) => expect(r).toEqual({ n, square: n * n }));
    } finally {
      await done();
    }
  });

  it('turns a handler error into ERR_REMOTE with the remote message and code', async () => {
    const { server, client, done } = await serverAndClient();
    try {
      server.handle((req: string) => {
        if (req === 'ipc') throw new IpcError('ERR_NOT_FOUND', 'no such thing');
        throw new TypeError(`bad ${req}`);
      });
      await expect(client.request('x')).rejects.toMatchObject({
        code: 'ERR_REMOTE',
        message: 'bad x',
        cause: { name: 'TypeError' },
      });
      await expect(client.request('ipc')).rejects.toMatchObject({
        code: 'ERR_REMOTE',
        message: 'no such thing',
        cause: { code: 'ERR_NOT_FOUND' },
      });
    } finally {
      await done();
    }
  });

  it('carries a caller abort and a caller timeout to the handler as ctx.signal', async () => {
    const { server, client, done } = await serverAndClient();
    try {
      const seen: string[] = [];
      let started!: () => void;
      server.handle(async (req: string, ctx: RequestContext) => {
        started();
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        seen.push(`${req}:${(ctx.signal.reason as IpcError).code}`);
        return 'too late';
      });
      const controller = new AbortController();
      const first = new Promise<void>((r) => (started = r));
      const aborted = client.request('abort-me', { signal: controller.signal });
      await first;
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' });

      const second = new Promise<void>((r) => (started = r));
      const timed = client.request('time-me', { timeout: 100 });
      await second;
      await expect(timed).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      while (seen.length < 2) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual(['abort-me:ERR_ABORTED', 'time-me:ERR_ABORTED']);
      // the connection still works
      server.handle(() => 'fine');
      expect(await client.request('again')).toBe('fine');
    } finally {
      await done();
    }
  });

  it('keeps ordinary messages apart from requests, and answers ERR_REMOTE when nobody handles requests', async () => {
    const { server, client, done } = await serverAndClient();
    try {
      const conn = await server.accept({ timeout: 5000 });
      await client.send({ plain: 1 });
      expect(await conn.recv({ timeout: 5000 })).toEqual({ plain: 1 });
      await expect(client.request('anyone?')).rejects.toMatchObject({ code: 'ERR_REMOTE' });
      // the server side can make requests too
      client.handle((req: number) => req + 1);
      expect(await conn.request(41)).toBe(42);
      await conn.send('note');
      expect(await client.recv({ timeout: 200 }).catch((e: unknown) => e)).toMatchObject({
        code: 'ERR_TIMEOUT',
      });
    } finally {
      await done();
    }
  });

  it('closes gracefully: running handlers finish and their replies arrive; pending requests fail after', async () => {
    const { address, remove } = freshAddress('tcp');
    const server = await listen(address, { closeTimeout: 5000 });
    const client = await connect(server.address);
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      server.handle(async () => {
        started();
        await gate;
        return 'finished';
      });
      const reply = client.request('slow');
      await running;
      const closing = server.close();
      setTimeout(release, 50);
      expect(await reply).toBe('finished');
      await closing;
      await expect(client.recv({ timeout: 5000 })).rejects.toMatchObject({ code: 'ERR_CLOSED' });
      await expect(client.request('after')).rejects.toMatchObject({
        code: expect.stringMatching(/ERR_PEER_GONE|ERR_CLOSED/),
      });
      await expect(connect(server.address)).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    } finally {
      await client.close();
      await server.close();
      remove();
    }
  });

  it('broadcasts to every connection and lists them', async () => {
    const { address, remove } = freshAddress('abstract');
    const server = await listen(address);
    const clients = await Promise.all([1, 2, 3].map(() => connect(server.address)));
    try {
      while (server.connections.size < 3) await new Promise((r) => setTimeout(r, 5));
      expect(await server.broadcast({ hello: 'all' })).toBe(3);
      for (const c of clients) expect(await c.recv({ timeout: 5000 })).toEqual({ hello: 'all' });
      await clients[0]!.close();
      while (server.connections.size > 2) await new Promise((r) => setTimeout(r, 5));
      expect(await server.broadcast('two')).toBe(2);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      remove();
    }
  });
});
