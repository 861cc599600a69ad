/**
 * Rival: raw `net` over a Unix domain socket, hand-written `[u32 BE len][JSON]` framing (raw bytes for
 * W3). The driver listens in the case's private folder, starts the peer, and accepts its connection.
 */
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { BenchCase } from '../adapter.js';
import { rawFramedSocketLink } from '../links/raw-framed-socket-link.js';

export const cases: BenchCase[] = [
  {
    name: 'node-net-unix-json',
    group: 'node',
    description: 'net.Socket over a Unix domain socket, hand-written length-prefixed frames',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len]' : 'JSON (UTF-8), [u32 BE len]'),
    link: {
      async driver(ctx) {
        const path = join(ctx.dir, 'net.sock');
        const server = createServer();
        server.listen(path);
        await once(server, 'listening');
        const accepted = once(server, 'connection') as Promise<[Socket]>;
        ctx.spawnPeer({ info: { path } });
        const [socket] = await accepted;
        server.close();
        return rawFramedSocketLink(socket, ctx.payload === 'bytes');
      },
      async peer(ctx) {
        const socket = connect(ctx.info['path'] as string);
        await once(socket, 'connect');
        return rawFramedSocketLink(socket, ctx.payload === 'bytes');
      },
    },
  },
];
