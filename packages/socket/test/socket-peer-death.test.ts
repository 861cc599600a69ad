import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { connect, formatAddress, listen, type SocketAddress } from '@ipc/socket';
import { freshAddress, readyAddress } from './fixtures/servers.js';

const AUTHKEY = 'peer-death-key';
const fixture = (name: string): string => join(__dirname, 'fixtures', name);

function start(command: string, args: string[]): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return { child, exited: once(child, 'exit') };
}

async function stop(p: { child: ChildProcess; exited: Promise<unknown> }): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

/** The address a Python client dials: a socket path, or host:port. */
function pythonAddress(address: SocketAddress): string {
  return address.kind === 'unix'
    ? address.path
    : `${(address as { host: string }).host}:${(address as { port: number }).port}`;
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

    it('a server sees ERR_PEER_GONE when the client process is SIGKILLed between messages', async () => {
      const { address, remove } = freshAddress(kind);
      const server = await listen(address, { authkey: AUTHKEY });
      const client = start(process.execPath, [
        fixture('authkey-peer.mjs'),
        'client',
        formatAddress(server.address),
        AUTHKEY,
      ]);
      try {
        const connection = await server.accept({ timeout: 30_000 });
        await connection.send('ping');
        expect(await connection.recv()).toBe('ping');
        client.child.kill('SIGKILL');
        await expect(connection.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
      } finally {
        await stop(client);
        await server.close();
        remove();
      }
    });

    it('a server sees a clean end when an @ipc client closes (and lives on)', async () => {
      const { address, remove } = freshAddress(kind);
      const server = await listen(address, { authkey: AUTHKEY });
      const client = start(process.execPath, [
        fixture('authkey-peer.mjs'),
        'client',
        formatAddress(server.address),
        AUTHKEY,
      ]);
      try {
        const connection = await server.accept({ timeout: 30_000 });
        await connection.send('close');
        await expect(connection.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
        expect(client.child.exitCode).toBeNull();
      } finally {
        await stop(client);
        await server.close();
        remove();
      }
    });

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
