/**
 * Rivals: raw `net` over a Unix domain socket and over loopback TCP, hand-written `[u32 BE len][JSON]`
 * framing (raw bytes for W3). The driver listens (in the case's private folder, or on 127.0.0.1 with
 * a port the kernel picks), starts the peer, and accepts its connection. The TCP case turns Nagle off
 * on both ends, as `@ipc/socket` does: it is what `ipc-socket-tcp` is measured against, TCP to TCP.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { BenchCase } from '../adapter.js';
import { rawFramedSocketLink } from '../links/raw-framed-socket-link.js';

type Kind = 'unix' | 'tcp';

function netCase(kind: Kind): BenchCase {
  return {
    name: `node-net-${kind}-json`,
    group: 'node',
    description:
      kind === 'unix'
        ? 'net.Socket over a Unix domain socket, hand-written length-prefixed frames'
        : 'net.Socket over loopback TCP (no Nagle), hand-written length-prefixed frames',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len]' : 'JSON (UTF-8), [u32 BE len]'),
    link: {
      async driver(ctx) {
        const server = createServer();
        if (kind === 'unix') server.listen(join(ctx.dir, 'net.sock'));
        else server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        const accepted = once(server, 'connection') as Promise<[Socket]>;
        ctx.spawnPeer({
          info:
            kind === 'unix'
              ? { path: server.address() as string }
              : { port: (server.address() as AddressInfo).port },
        });
        const [socket] = await accepted;
        server.close();
        if (kind === 'tcp') socket.setNoDelay(true);
        return rawFramedSocketLink(socket, ctx.payload === 'bytes');
      },
      async peer(ctx) {
        const socket =
          kind === 'unix'
            ? connect(ctx.info['path'] as string)
            : connect({ host: '127.0.0.1', port: ctx.info['port'] as number, noDelay: true });
        await once(socket, 'connect');
        return rawFramedSocketLink(socket, ctx.payload === 'bytes');
      },
    },
  };
}

export const cases: BenchCase[] = [netCase('unix'), netCase('tcp')];
