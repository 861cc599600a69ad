import { describe, expect, it } from '@jest/globals';
import { connect, listen, type SocketAddress, type SocketChannel } from '@ipc/socket';
import { freshAddress } from './fixtures/servers.js';

/** Connects to `address` again and again until it works (or `stop` says so); resolves with the client. */
async function connectWhenUp(
  address: SocketAddress,
  stop: { done: boolean },
): Promise<SocketChannel | undefined> {
  while (!stop.done) {
    try {
      return await connect(address);
    } catch (err) {
      if (!['ERR_NOT_FOUND', 'ERR_PEER_GONE'].includes((err as { code?: string }).code ?? '')) throw err;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return undefined;
}

describe('listen: a connection that comes while the bind finishes', () => {
  it.each(['unix', 'abstract'] as const)(
    '%s: is served like any other (a client retrying the address is not left unread)',
    async (kind) => {
      // Clients retrying while the server starts: some of them connect before `listen` returns.
      for (let round = 0; round < 10; round++) {
        const { address, remove } = freshAddress(kind);
        const stop = { done: false };
        const clients = Array.from({ length: 4 }, () => connectWhenUp(address, stop));
        const server = await listen(address);
        server.handle(() => 'pong');
        stop.done = true;
        try {
          for (const client of await Promise.all(clients)) {
            if (client === undefined) continue;
            try {
              expect(await client.request('ping', { timeout: 5000 })).toBe('pong');
            } finally {
              await client.close();
            }
          }
        } finally {
          await server.close();
          remove();
        }
      }
    },
  );
});
