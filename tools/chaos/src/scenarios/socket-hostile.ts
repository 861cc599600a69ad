import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { codecs, writeLengthHeader } from '@ipc/core';
import type { Peer } from '../suite/child-set.js';
import { sleep, within } from '../suite/bounded.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';
import type { Tally } from '../suite/tally.js';
import { GoodClient } from './good-client.js';
import { rawConnect, writeBounded } from './raw-connection.js';

const MiB = 1024 * 1024;

interface Mem {
  heap: number;
  buffers: number;
  rss: number;
}

function lastMem(peer: Peer): Mem | undefined {
  for (let i = peer.lines.length - 1; i >= 0; i--) {
    const line = peer.lines[i] as string;
    if (line.startsWith('mem ')) return JSON.parse(line.slice(4)) as Mem;
  }
  return undefined;
}

function peakSince(peer: Peer, from: number): Mem {
  const peak: Mem = { heap: 0, buffers: 0, rss: 0 };
  for (const line of peer.lines.slice(from)) {
    if (!line.startsWith('mem ')) continue;
    const m = JSON.parse(line.slice(4)) as Mem;
    peak.heap = Math.max(peak.heap, m.heap);
    peak.buffers = Math.max(peak.buffers, m.buffers);
    peak.rss = Math.max(peak.rss, m.rss);
  }
  return peak;
}

/** A request frame as the @ipc/socket client writes it (msgpack envelope, u32 BE length). */
function requestFrame(id: number): Buffer {
  const body = codecs.msgpack.encode({ $rpc: 'req', id, body: { n: id, pad: 'p'.repeat(100) } });
  const frame = Buffer.alloc(4 + body.byteLength);
  writeLengthHeader(body.byteLength, frame, 0);
  frame.set(body, 4);
  return frame;
}

/** Runs `attack` against a fresh server while a well-behaved client asks; files the outcome in `row`. */
async function underAttack(
  ctx: ScenarioContext,
  kind: 'unix' | 'tcp',
  row: Tally,
  attack: (address: string, server: Peer) => Promise<{ ok: boolean; why?: string; fact?: string }>,
  boundMiB?: (m: { heap: number; buffers: number }) => string | undefined,
): Promise<void> {
  const address = kind === 'unix' ? `unix://${join(ctx.dir, `s-${row.tried}.sock`)}` : 'tcp://127.0.0.1:0';
  const server = ctx.children.spawnPeer('socket-server', { address });
  try {
    const listening = (await server.line((l) => l.startsWith('listening '))).slice('listening '.length);
    await server.line((l) => l.startsWith('mem '));
    const base = lastMem(server) as Mem;
    const from = server.lines.length;
    const good = await GoodClient.start(listening);
    const outcome = await attack(listening, server);
    await sleep(600); // two more memory samples
    const peak = peakSince(server, from);
    await good.stop();
    const alive = server.child.exitCode === null && server.child.signalCode === null;
    const growth = { heap: (peak.heap - base.heap) / MiB, buffers: (peak.buffers - base.buffers) / MiB };
    row.fact(
      `server heap ${(base.heap / MiB).toFixed(0)} → ${(peak.heap / MiB).toFixed(0)} MiB, buffers ${(base.buffers / MiB).toFixed(0)} → ${(peak.buffers / MiB).toFixed(0)} MiB`,
    );
    if (outcome.fact !== undefined) row.fact(outcome.fact);
    row.fact(good.summary());
    const over = boundMiB?.(growth);
    if (!alive) row.fail(`the server process died (${server.child.exitCode ?? server.child.signalCode})`);
    else if (!outcome.ok) row.fail(outcome.why ?? 'the attack went wrong');
    else if (over !== undefined) row.fail(over);
    else if (good.failures.length > 0 || good.served === 0)
      row.fail('the well-behaved client was not served');
    else row.ok();
  } finally {
    await server.stop(); // SIGTERM: the server closes and removes its socket file
  }
}

async function destroyAll(sockets: Socket[]): Promise<void> {
  for (const s of sockets) s.destroy();
  await sleep(100);
}

/** (c) Hostile clients against the @ipc/socket server. */
export const socketHostile: Scenario = {
  name: 'socket-hostile',
  description:
    'hostile clients against an @ipc/socket echo server in its own process, while a well-behaved client keeps asking: a client that floods requests and never reads the replies, partial headers claiming 64 MiB frames, garbage bytes, many silent connections, a request flood that reads its replies; server memory must stay bounded and the good client served',
  timeoutMs: ({ quick }) => (quick ? 240_000 : 900_000),
  async run(ctx) {
    const kinds = ['unix', 'tcp'] as const;
    // 1. Reply flood: requests written as fast as the server reads them, replies never read.
    const floodCount = ctx.quick ? 200_000 : 1_000_000;
    for (const kind of kinds) {
      await underAttack(
        ctx,
        kind,
        ctx.row(`socket-hostile reply flood, never reads (${kind})`),
        async (address) => {
          const socket = await rawConnect(address);
          socket.pause();
          let written = 0;
          const deadline = Date.now() + (ctx.quick ? 20_000 : 60_000);
          while (written < floodCount && Date.now() < deadline && !ctx.signal.aborted) {
            const batch: Buffer[] = [];
            for (let i = 0; i < 1000; i++) batch.push(requestFrame(written + i + 1));
            if (!(await writeBounded(socket, Buffer.concat(batch), 3000))) break;
            written += 1000;
          }
          await sleep(1000);
          socket.destroy();
          return {
            ok: true,
            fact: `${written} requests written (the server stopped reading: ${written < floodCount})`,
          };
        },
        (g) =>
          g.heap + g.buffers > 100
            ? `server memory grew by ${(g.heap + g.buffers).toFixed(0)} MiB (bound 100)`
            : undefined,
      );
    }
    // 2. Partial headers claiming 64 MiB frames.
    const partials = ctx.quick ? 20 : 60;
    for (const kind of kinds) {
      await underAttack(
        ctx,
        kind,
        ctx.row(`socket-hostile ${partials} partial headers of 64 MiB frames (${kind})`),
        async (address) => {
          const sockets: Socket[] = [];
          const chunk = Buffer.alloc(20, 0x61);
          chunk.writeUInt32BE(64 * MiB - 8, 0);
          for (let i = 0; i < partials; i++) {
            const s = await rawConnect(address);
            s.write(chunk);
            sockets.push(s);
          }
          await sleep(1500);
          await destroyAll(sockets);
          return { ok: true };
        },
        (g) =>
          g.buffers > 1 + partials * 2
            ? `server buffers grew by ${g.buffers.toFixed(0)} MiB for ${partials * 20} bytes received`
            : undefined,
      );
    }
    // 3. Garbage bytes.
    const garbage = ctx.quick ? 30 : 200;
    await underAttack(
      ctx,
      'unix',
      ctx.row(`socket-hostile ${garbage} garbage connections (unix)`),
      async (address) => {
        const sockets: Socket[] = [];
        for (let i = 0; i < garbage; i++) {
          const s = await rawConnect(address);
          const bytes = randomBytes(64 + Math.floor(Math.random() * 4096));
          if (i % 2 === 0) bytes.writeUInt32BE(Math.floor(Math.random() * 64), 0); // a small frame of junk
          s.write(bytes);
          sockets.push(s);
        }
        await sleep(1000);
        const closed = sockets.filter((s) => s.readableEnded || s.destroyed).length;
        await destroyAll(sockets);
        return { ok: true, fact: `${closed} of ${garbage} garbage connections closed by the server` };
      },
    );
    // 4. Many silent connections.
    const silent = ctx.quick ? 100 : 500;
    await underAttack(
      ctx,
      'unix',
      ctx.row(`socket-hostile ${silent} silent connections (unix)`),
      async (address) => {
        const sockets: Socket[] = [];
        for (let i = 0; i < silent; i++) sockets.push(await rawConnect(address));
        const { connect } = await import('@ipc/socket');
        const late = await within(
          connect(address, { timeout: 5000 }).then(async (c) => {
            const r = await c.request({ late: 1 }, { timeout: 5000 });
            await c.close();
            return r;
          }),
          10_000,
        );
        await destroyAll(sockets);
        if (late.kind === 'value') return { ok: true };
        return {
          ok: false,
          why: `a new client was not served beside ${silent} silent connections (${late.kind})`,
        };
      },
    );
    // 5. A request flood that reads its replies (several clients, many requests in flight).
    const flood = ctx.quick ? 5000 : 50_000;
    await underAttack(
      ctx,
      'unix',
      ctx.row(`socket-hostile request flood, 4 clients × ${flood} (unix)`),
      async (address) => {
        const { connect } = await import('@ipc/socket');
        const clients = await Promise.all([0, 1, 2, 3].map(() => connect(address, { timeout: 10_000 })));
        let wrong = 0;
        const all = clients.map(async (c, k) => {
          for (let start = 0; start < flood; start += 500) {
            const batch = [];
            for (let i = start; i < Math.min(flood, start + 500); i++)
              batch.push(c.request({ k, i }, { timeout: 30_000 }));
            const replies = (await Promise.all(batch)) as { k: number; i: number }[];
            replies.forEach((r, j) => {
              if (r.k !== k || r.i !== start + j) wrong++;
            });
          }
        });
        const done = await within(Promise.all(all), ctx.quick ? 60_000 : 300_000);
        await Promise.all(clients.map((c) => c.close()));
        if (done.kind !== 'value')
          return {
            ok: false,
            why: `the flood did not complete (${done.kind === 'hung' ? 'hung' : String(done.error)})`,
          };
        return wrong === 0 ? { ok: true } : { ok: false, why: `${wrong} wrong replies` };
      },
    );
  },
};
