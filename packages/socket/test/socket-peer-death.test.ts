import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { connect, formatAddress, listen, type SocketAddress, type SocketChannel } from '@ipc/socket';
import { freshAddress, readyAddress } from './fixtures/servers.js';

const AUTHKEY = 'peer-death-key';
const fixture = (name: string): string => join(__dirname, 'fixtures', name);

/** A peer process and its exit. */
interface Peer {
  child: ChildProcess;
  exited: Promise<unknown>;
}

function start(command: string, args: string[]): Peer {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return { child, exited: once(child, 'exit') };
}

async function stop(p: Peer): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

/** The address a Python client dials: a socket path, or host:port. */
function pythonAddress(address: SocketAddress): string {
  return address.kind === 'unix'
    ? address.path
    : `${(address as { host: string }).host}:${(address as { port: number }).port}`;
}

/**
 * Runs `body` with a server (with the authkey) and the connection of an @ipc client in another
 * process (fixtures/authkey-peer.mjs: it echoes, and closes its channel when told `'close'`).
 */
async function withIpcClient(
  kind: 'unix' | 'tcp',
  body: (connection: SocketChannel, client: Peer) => Promise<void>,
): Promise<void> {
  const { address, remove } = freshAddress(kind);
  const server = await listen(address, { authkey: AUTHKEY });
  const client = start(process.execPath, [
    fixture('authkey-peer.mjs'),
    'client',
    formatAddress(server.address),
    AUTHKEY,
  ]);
  try {
    await body(await server.accept({ timeout: 30_000 }), client);
  } finally {
    await stop(client);
    await server.close();
    remove();
  }
}

for (const kind of ['unix', 'tcp'] as const) {
  describe(`@ipc/socket over ${kind}: a killed peer is ERR_PEER_GONE, a close is a clean end (issue 20, defect 8)`, () => {
    it('a client sees ERR_PEER_GONE when the server process is SIGKILLed between messages', async () => {
      const { address, remove } = freshAddress(kind);
      const server = start(process.execPath, [
        fixture('authkey-peer.mjs'),
        'server',
        formatAddress(address),
        AUTHKEY,
      ]);
      try {
        const client = await connect(await readyAddress(server.child), { authkey: AUTHKEY });
        await client.send({ n: 1 });
        expect(await client.recv()).toEqual({ n: 1 });
        server.child.kill('SIGKILL');
        await expect(client.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
        await client.close();
      } finally {
        await stop(server);
        remove();
      }
    });

    it('a server sees ERR_PEER_GONE when the client process is SIGKILLed between messages', () =>
      withIpcClient(kind, async (connection, client) => {
        await connection.send('ping');
        expect(await connection.recv()).toBe('ping');
        client.child.kill('SIGKILL');
        await expect(connection.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
      }));

    it('a server sees a clean end when an @ipc client closes (and lives on)', () =>
      withIpcClient(kind, async (connection, client) => {
        await connection.send('close');
        await expect(connection.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
        expect(client.child.exitCode).toBeNull();
      }));

    it('a server sees a clean end when a Python stdlib client (multiprocessing.connection) closes', async () => {
      const { address, remove } = freshAddress(kind);
      const server = await listen(address, { authkey: AUTHKEY, codec: 'json' });
      const python = start('python3', [
        fixture('python-authkey-close.py'),
        pythonAddress(server.address),
        AUTHKEY,
      ]);
      try {
        const connection = await server.accept({ timeout: 30_000 });
        expect(await connection.recv()).toBe('from python');
        await expect(connection.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
        expect(await python.exited).toEqual([0, null]);
      } finally {
        await stop(python);
        await server.close();
        remove();
      }
    });
  });
}
