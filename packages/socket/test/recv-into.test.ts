import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { connect } from '@ipc/socket';
import { freshAddress, readyAddress } from './fixtures/servers.js';

/** A recognisable payload of `n` bytes, different for each `seed`. */
function payload(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 7) & 0xff;
  return b;
}

const SIZES = [0, 1, 65_536, 1 << 20, 3, (1 << 20) + 3, 200_000, 8 << 20, 7, 4 << 20];

describe.each(['unix', 'tcp'] as const)('recvInto over %s (like Python’s recv_bytes_into)', (kind) => {
  it('receives an echo server process’s messages into one reused buffer, intact and in order', async () => {
    const { address, remove } = freshAddress(kind);
    const where = address.kind === 'unix' ? `unix://${address.path}` : 'tcp://127.0.0.1:0';
    const server = spawn(process.execPath, [join(__dirname, 'fixtures', 'echo-server.mjs'), where], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, IPC_CODEC: 'raw' },
    });
    const exited = once(server, 'exit');
    try {
      const channel = await connect<Uint8Array>(await readyAddress(server), {
        codec: 'raw',
        maxFrameBytes: 16 << 20,
      });
      const sending = (async () => {
        for (let i = 0; i < SIZES.length; i++) await channel.send(payload(SIZES[i] as number, i));
      })();
      const buffer = Buffer.alloc(4 << 20);
      const results: string[] = [];
      for (let i = 0; i < SIZES.length; i++) {
        const want = payload(SIZES[i] as number, i);
        const n = await channel.recvInto(buffer).catch(async (err: unknown) => {
          expect(err).toMatchObject({ code: 'ERR_BUFFER_TOO_SMALL' });
          return Buffer.from(await channel.recv()).equals(want) ? -1 : -2; // it stayed queued
        });
        results.push(
          n === -1 ? 'too small, then whole' : buffer.subarray(0, n).equals(want) ? 'ok' : `bad ${i}`,
        );
      }
      await sending;
      await channel.close();
      expect(results).toEqual([...Array(7).fill('ok'), 'too small, then whole', 'ok', 'ok']);
    } finally {
      server.kill('SIGKILL');
      await exited;
      remove();
    }
  });
});

it('recvInto needs the raw codec: ERR_UNSUPPORTED on a msgpack connection', async () => {
  const { address, remove } = freshAddress('unix');
  const server = spawn(
    process.execPath,
    [join(__dirname, 'fixtures', 'echo-server.mjs'), `unix://${(address as { path: string }).path}`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(server, 'exit');
  try {
    const channel = await connect(await readyAddress(server));
    await expect(channel.recvInto(Buffer.alloc(8))).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED' });
    await channel.close();
  } finally {
    server.kill('SIGKILL');
    await exited;
    remove();
  }
});
