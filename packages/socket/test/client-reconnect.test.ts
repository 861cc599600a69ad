import { describe, expect, it } from '@jest/globals';
import { connect, listen, type SocketServer } from '@ipc/socket';
import { freshAddress } from './fixtures/servers.js';

describe('client reconnect', () => {
  it('reconnects after the server restarts; sends made meanwhile wait and are delivered in order', async () => {
    const { address, remove } = freshAddress('unix');
    let server: SocketServer = await listen(address);
    const got: unknown[] = [];
    const serve = (s: SocketServer) =>
      s.handle((m: unknown, ctx) => {
        if (ctx.id === undefined) got.push(m);
        return 'pong';
      });
    serve(server);
    const client = await connect(address, {
      reconnect: { initialDelay: 20, maxDelay: 100, maxAttempts: 50 },
    });
    try {
      expect(await client.request('ping')).toBe('pong');
      await server.close();
      while (client.connected) await new Promise((r) => setTimeout(r, 5));
      const sends = [client.send('a'), client.send('b'), client.send('c')];
      server = await listen(address);
      serve(server);
      await Promise.all(sends);
      expect(await client.request('ping', { timeout: 5000 })).toBe('pong');
      expect(got).toEqual(['a', 'b', 'c']);
    } finally {
      await client.close();
      await server.close();
      remove();
    }
  });

  it('fails fast while disconnected when asked to, and gives up after the attempts with ERR_PEER_GONE', async () => {
    const { address, remove } = freshAddress('tcp');
    const server = await listen(address);
    const client = await connect(server.address, {
      reconnect: { initialDelay: 10, maxDelay: 20, maxAttempts: 3, whileDisconnected: 'fail' },
    });
    try {
      await server.close();
      while (client.connected) await new Promise((r) => setTimeout(r, 5));
      if (!client.closed) {
        await expect(client.send('x')).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
      }
      await expect(client.recv({ timeout: 5000 })).rejects.toMatchObject({
        code: 'ERR_PEER_GONE',
        message: expect.stringMatching(/gave up reconnecting after 3 attempts/),
      });
      expect(client.closed).toBe(true);
    } finally {
      await client.close();
      remove();
    }
  });

  it('bounds the sends that wait for a reconnect, and rejects the waiting ones when it gives up', async () => {
    const { address, remove } = freshAddress('abstract');
    const server = await listen(address);
    const client = await connect(server.address, {
      // `attempts`: the former name of `maxAttempts`, still accepted.
      reconnect: { initialDelay: 50, maxDelay: 50, attempts: 3, bufferLimit: 2 },
    });
    try {
      await server.close();
      while (client.connected) await new Promise((r) => setTimeout(r, 2));
      const waiting = [client.send(1), client.send(2)];
      await expect(client.send(3)).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
      for (const w of waiting) {
        await expect(w).rejects.toMatchObject({
          code: 'ERR_PEER_GONE',
          message: expect.stringMatching(/gave up reconnecting after 3 attempts/),
        });
      }
    } finally {
      await client.close();
      remove();
    }
  });

  it('refuses bad reconnect options with ERR_INVALID_ARGUMENT before connecting', async () => {
    const { address, remove } = freshAddress('unix'); // nothing listens there: ERR_NOT_FOUND had it dialled
    try {
      for (const reconnect of [
        { jitter: 2 },
        { maxAttempts: 3, attempts: 4 },
        { bufferLimit: -1 },
        { whileDisconnected: 'drop' as 'fail' },
      ]) {
        await expect(connect(address, { reconnect })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      }
    } finally {
      remove();
    }
  });
});
