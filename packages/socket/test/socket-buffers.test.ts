import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { IpcError } from '@ipc/core';
import { connect, listen, type SocketChannel, type SocketServer } from '@ipc/socket';
import { addon } from '../src/load-addon.js';
import { socketFd } from '../src/socket-fd.js';
import { freshAddress, type Kind } from './fixtures/servers.js';

const MiB = 1 << 20;

/** Everything a test opened, closed after it. */
const open: { servers: SocketServer[]; channels: SocketChannel[]; removes: (() => void)[] } = {
  servers: [],
  channels: [],
  removes: [],
};
afterEach(async () => {
  await Promise.all(open.channels.splice(0).map((c) => c.close()));
  await Promise.all(open.servers.splice(0).map((s) => s.close()));
  for (const remove of open.removes.splice(0)) remove();
});

/** A raw-codec server and client on a fresh address; `socketBufferBytes` on both when given. */
async function rawPair(kind: Kind, socketBufferBytes: number | undefined) {
  const { address, remove } = freshAddress(kind);
  open.removes.push(remove);
  const options = { codec: 'raw' as const, maxFrameBytes: 4 * MiB, socketBufferBytes };
  const server = await listen<Uint8Array>(address, options);
  open.servers.push(server);
  const accepted = server.accept({ timeout: 10_000 });
  const client = await connect<Uint8Array>(server.address, { ...options, timeout: 10_000 });
  open.channels.push(client);
  const served = await accepted;
  open.channels.push(served);
  return { client, served };
}

/** The kernel's buffer sizes of a channel's socket (read with the addon, as the option set them). */
function kernelBuffers(channel: SocketChannel): { send: number; receive: number } {
  // The channel's socket is private: the test reads it to see what the kernel was told.
  const socket = (channel as unknown as { link: { socket: Socket } }).link.socket;
  const native = addon();
  if (native instanceof IpcError) throw native;
  const fd = socketFd(socket);
  if (fd === undefined) throw new Error('no fd');
  return native.socketBuffers(fd);
}

/** What the kernel makes of a request for `bytes` (doubled, capped at twice the sysctl maximum). */
function granted(bytes: number, sysctl: 'wmem_max' | 'rmem_max'): number {
  const max = Number(readFileSync(`/proc/sys/net/core/${sysctl}`, 'utf8'));
  return 2 * Math.min(bytes, max);
}

describe('socketBufferBytes', () => {
  it.each(['unix', 'abstract'] as const)(
    'sets both ends of a %s connection, and 1 MiB messages arrive intact through recvInto',
    async (kind) => {
      const { client, served } = await rawPair(kind, MiB);
      for (const channel of [client, served]) {
        const sizes = kernelBuffers(channel);
        expect(sizes.send).toBe(granted(MiB, 'wmem_max'));
        expect(sizes.receive).toBe(granted(MiB, 'rmem_max'));
      }
      const message = Buffer.alloc(MiB);
      const into = Buffer.alloc(MiB);
      for (let i = 0; i < 8; i++) {
        message.fill(i + 1);
        message.writeUInt32BE(i, MiB - 4);
        const sent = served.send(message);
        expect(await client.recvInto(into)).toBe(MiB);
        await sent;
        expect(into.equals(message)).toBe(true);
      }
    },
  );

  it('leaves the kernel default without the option', async () => {
    const { client, served } = await rawPair('unix', undefined);
    const defaults = Number(readFileSync('/proc/sys/net/core/wmem_default', 'utf8'));
    expect(kernelBuffers(client).send).toBe(defaults);
    expect(kernelBuffers(served).send).toBe(defaults);
  });

  it('is ignored on TCP, where the kernel sizes the buffers itself', async () => {
    const { client, served } = await rawPair('tcp', 4096);
    // 4,096 requested would show as 8,192; TCP's own starting size is larger.
    expect(kernelBuffers(client).send).not.toBe(8192);
    await served.send(Buffer.from('still works'));
    expect(Buffer.from(await client.recv()).toString()).toBe('still works');
  });

  it.each([0, 100, 4095, 1.5, 64 * MiB + 1, Number.NaN, '1048576'])(
    'rejects %p with ERR_INVALID_ARGUMENT in listen and connect',
    async (bad) => {
      const { address, remove } = freshAddress('unix');
      open.removes.push(remove);
      const socketBufferBytes = bad as number;
      await expect(listen(address, { socketBufferBytes })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
      await expect(connect(address, { socketBufferBytes })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
    },
  );
});
