import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { IpcError } from '@ipc/core';
import { connect, formatAddress, listen, type ErrorContext } from '@ipc/socket';
import { tempDir } from '@ipc/core/testing';
import { pythonScript } from './fixtures/python-script.js';
import { freshAddress, readyAddress } from './fixtures/servers.js';

// A reconnecting client reads all its connections with one receiver (kit's StreamReceiver.attach):
// what each connection brought arrives in order before its end counts, and each end is judged the
// way the connection's own channel used to judge it.

const AUTHKEY = 'reconnect-key';
const reconnect = { initialDelay: 10, maxDelay: 50, maxAttempts: 200 };

function lengthPrefixed(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

describe('a reconnecting client reads every connection with one receiver', () => {
  it('with an authkey, across a SIGKILLed @ipc server and a new one: ERR_PEER_GONE reported, then served again', async () => {
    const { address, remove } = freshAddress('unix');
    const start = (): ChildProcess =>
      spawn(
        process.execPath,
        [join(__dirname, 'fixtures', 'authkey-peer.mjs'), 'server', formatAddress(address), AUTHKEY],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
    let server = start();
    const errors: { error: IpcError; context: ErrorContext }[] = [];
    try {
      const client = await connect(await readyAddress(server), {
        authkey: AUTHKEY,
        reconnect,
        onError: (error, context) => errors.push({ error, context }),
      });
      try {
        await client.send({ n: 1 });
        expect(await client.recv({ timeout: 10_000 })).toEqual({ n: 1 });
        const exited = once(server, 'exit');
        server.kill('SIGKILL');
        await exited;
        while (client.connected) await new Promise((r) => setTimeout(r, 5));
        // An @ipc peer that vanished without its close marker: a death, not a clean end.
        expect(errors[0]).toMatchObject({ error: { code: 'ERR_PEER_GONE' }, context: { phase: 'read' } });
        const sent = client.send({ n: 2 }); // waits for the next connection
        server = start();
        await readyAddress(server);
        await sent;
        expect(await client.recv({ timeout: 10_000 })).toEqual({ n: 2 });
        expect(client.info.auth).toBeDefined();
      } finally {
        await client.close();
      }
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      remove();
    }
  });

  it('takes everything a connection brought before its clean end, in order, into one recvInto buffer', async () => {
    const { address, remove } = freshAddress('unix');
    const server = await listen(address, { codec: 'raw' });
    let round = 0;
    const serving = (async () => {
      for await (const connection of server) {
        round++;
        for (let i = 0; i < 3; i++) await connection.send(Buffer.from(`${round}.${i}`));
        await connection.close(); // a graceful close: the client reconnects
      }
    })();
    const errors: IpcError[] = [];
    const client = await connect(server.address, { codec: 'raw', reconnect, onError: (e) => errors.push(e) });
    try {
      const buffer = Buffer.alloc(64);
      const got: string[] = [];
      for (let k = 0; k < 9; k++) {
        const n = await client.recvInto(buffer, 0, { timeout: 10_000 });
        got.push(buffer.toString('utf8', 0, n));
      }
      expect(got).toEqual(['1.0', '1.1', '1.2', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2']);
      // Clean ends are not errors; failed reconnect attempts (the server busy closing) may be.
      expect(errors.filter((e) => e.code !== 'ERR_PEER_GONE')).toEqual([]);
    } finally {
      await client.close();
      await server.close();
      await serving;
      remove();
    }
  });

  it('drops a connection whose server sent a frame too large (still open), and reconnects', async () => {
    const { address, remove } = freshAddress('unix');
    if (address.kind !== 'unix') throw new Error('unix address expected');
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      accepted.push(socket);
      socket.on('error', () => undefined);
      if (accepted.length === 1) {
        socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xf0])); // claims ~2 GiB, and stays open
      } else {
        socket.write(lengthPrefixed(Buffer.from(JSON.stringify({ hello: accepted.length }))));
      }
    });
    await new Promise<void>((resolve) => server.listen(address.path, resolve));
    const errors: { error: IpcError; context: ErrorContext }[] = [];
    const client = await connect(address, {
      codec: 'json',
      maxFrameBytes: 1024,
      reconnect,
      onError: (error, context) => errors.push({ error, context }),
    });
    try {
      const first = accepted[0] ?? (await once(server, 'connection'))[0];
      const firstClosed = once(first as Socket, 'close');
      expect(await client.recv({ timeout: 10_000 })).toEqual({ hello: 2 });
      await firstClosed; // the client closed the broken connection: the server did not
      expect(errors[0]).toMatchObject({ error: { code: 'ERR_FRAME_TOO_LARGE' }, context: { phase: 'read' } });
    } finally {
      await client.close();
      for (const s of accepted) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      remove();
    }
  });

  it('with an authkey, from one Python Listener to the next (no close markers either time)', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'py.sock');
    let py = pythonScript('python-listener.py', [path, 'sesame']);
    try {
      await py.line('ready');
      const client = await connect(`unix://${path}`, { codec: 'json', authkey: 'sesame', reconnect });
      try {
        await client.send('a');
        expect(await client.recv({ timeout: 10_000 })).toEqual({ echo: 'a', from: 'python' });
        await client.send('stop'); // the Listener exits (and removes its socket file)
        await py.exited;
        while (client.connected) await new Promise((r) => setTimeout(r, 5));
        const sent = client.send('b');
        py = pythonScript('python-listener.py', [path, 'sesame']);
        await py.line('ready');
        await sent;
        expect(await client.recv({ timeout: 10_000 })).toEqual({ echo: 'b', from: 'python' });
      } finally {
        await client.close();
      }
    } finally {
      if (py.child.exitCode === null) py.child.kill('SIGKILL');
      dir.remove();
    }
  });

  it('refuses a server of the other kind (@ipc, then a Python Listener): ERR_UNSUPPORTED per attempt', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'kinds.sock');
    const server = await listen(`unix://${path}`, { codec: 'json', authkey: 'sesame' });
    const errors: { error: IpcError; context: ErrorContext }[] = [];
    const client = await connect(`unix://${path}`, {
      codec: 'json',
      authkey: 'sesame',
      reconnect,
      onError: (error, context) => errors.push({ error, context }),
    });
    let py: ReturnType<typeof pythonScript> | undefined;
    try {
      await server.close(); // an @ipc server's graceful close: the client reconnects
      while (client.connected) await new Promise((r) => setTimeout(r, 5));
      py = pythonScript('python-listener.py', [path, 'sesame']);
      await py.line('ready');
      while (!errors.some((e) => e.error.code === 'ERR_UNSUPPORTED')) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(errors.find((e) => e.error.code === 'ERR_UNSUPPORTED')).toMatchObject({
        error: { message: expect.stringMatching(/not an @ipc peer/) },
        context: { phase: 'reconnect' },
      });
      expect(client.connected).toBe(false);
    } finally {
      await client.close();
      if (py !== undefined && py.child.exitCode === null) py.child.kill('SIGKILL');
      dir.remove();
    }
  });
});
