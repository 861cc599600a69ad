import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { connect } from '@ipc/socket';
import { jsonChild, type JsonChild } from './fixtures/child-json.js';

const FIXTURE = join(__dirname, 'fixtures/frame-memory-server.mjs');
const MiB = 1024 * 1024;
const CLIENTS = 60;

/** A 4-byte header claiming `claim` bytes, then `extra` payload bytes. */
function partialFrame(claim: number, extra: number): Buffer {
  const bytes = Buffer.alloc(4 + extra, 0x61);
  bytes.writeUInt32BE(claim, 0);
  return bytes;
}

async function rawClients(path: string, count: number, bytes: Buffer): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = netConnect(path);
    socket.on('error', () => undefined);
    sockets.push(socket);
    await once(socket, 'connect');
    socket.write(bytes);
  }
  return sockets;
}

/** The server's memory, sampled a few times (its reads of the raw clients may still be under way); the peak. */
async function serverMemory(path: string): Promise<NodeJS.MemoryUsage> {
  const client = await connect({ kind: 'unix', path });
  try {
    let peak: NodeJS.MemoryUsage | undefined;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 150));
      const m = await client.request<NodeJS.MemoryUsage>('mem', { timeout: 30_000 });
      if (peak === undefined || m.arrayBuffers > peak.arrayBuffers) peak = m;
    }
    return peak as NodeJS.MemoryUsage;
  } finally {
    await client.close();
  }
}

async function untilLine(
  child: JsonChild,
  match: (line: Record<string, any>) => boolean,
): Promise<Record<string, any>> {
  for (;;) {
    const line = await child.next();
    if (match(line)) return line;
  }
}

describe('a frame header alone reserves no memory (issue 20, defect 2)', () => {
  it(`keeps a server small while ${CLIENTS} clients each send 20 bytes of a frame claiming 64 MiB`, async () => {
    const dir = tempDir('ipc-partial-');
    const path = join(dir.path, 's.sock');
    const server = jsonChild(process.execPath, [FIXTURE, path]);
    let sockets: Socket[] = [];
    try {
      await untilLine(server, (l) => l.ready === true);
      const before = await serverMemory(path);
      sockets = await rawClients(path, CLIENTS, partialFrame(64 * MiB, 16));
      const after = await serverMemory(path);
      const grown = after.arrayBuffers - before.arrayBuffers;
      process.stdout.write(
        `partial headers: ${CLIENTS} clients, arrayBuffers +${(grown / MiB).toFixed(1)} MiB, ` +
          `external ${(after.external / MiB).toFixed(1)} MiB, rss ${(after.rss / MiB).toFixed(1)} MiB\n`,
      );
      // Before the fix: 60 × (64 MiB + a 1 MiB slab) = 3.9 GiB.
      expect(grown).toBeLessThan(32 * MiB);
    } finally {
      for (const s of sockets) s.destroy();
      await server.kill();
      dir.remove();
    }
  }, 120_000);

  it('survives under ulimit -v: partial headers cost nothing, a frame it cannot allocate fails only its connection', async () => {
    const dir = tempDir('ipc-partial-');
    const path = join(dir.path, 's.sock');
    const maxFrame = 1024 * MiB;
    // How much address space the server takes by itself, to cap it 640 MiB above that.
    const probe = jsonChild(process.execPath, [FIXTURE, path, String(maxFrame), 'probe']);
    const { vmKiB } = await untilLine(probe, (l) => l.ready === true);
    await probe.exited;
    const limitKiB = Number(vmKiB) + 640 * 1024;
    const server = jsonChild('bash', [
      '-c',
      `ulimit -v ${limitKiB} && exec "${process.execPath}" "${FIXTURE}" "${path}" ${maxFrame}`,
    ]);
    let sockets: Socket[] = [];
    try {
      await untilLine(server, (l) => l.ready === true);
      // 60 × 64 MiB claimed: over the cap ten times if headers reserved what they claim.
      sockets = await rawClients(path, CLIENTS, partialFrame(64 * MiB, 16));
      await serverMemory(path);
      // A 1 GiB frame, of which 1/8 really arrives: the server then needs 1 GiB at once, which the cap forbids.
      const big = netConnect(path);
      big.on('error', () => undefined);
      await once(big, 'connect');
      const closed = new Promise((resolve) => big.once('close', resolve));
      big.write(partialFrame(maxFrame, 0));
      const piece = Buffer.alloc(4 * MiB, 0x62);
      for (let sent = 0; sent < maxFrame / 8 + 8 * MiB && !big.destroyed; sent += piece.length) {
        if (!big.write(piece)) await Promise.race([once(big, 'drain').catch(() => undefined), closed]);
      }
      const failure = await untilLine(server, (l) => l.error !== undefined);
      expect(failure).toMatchObject({ error: 'ERR_FRAME_TOO_LARGE', phase: 'read' });
      await closed;
      // The server lives on and serves the others.
      const client = await connect({ kind: 'unix', path });
      expect(await client.request('still here', { timeout: 30_000 })).toBe('still here');
      await client.close();
      expect(server.process.exitCode).toBeNull();
    } finally {
      for (const s of sockets) s.destroy();
      await server.kill();
      dir.remove();
    }
  }, 180_000);
});
