import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { IpcErrorCode } from '@ipc/core';
import type { ChildSet, Peer } from '../suite/child-set.js';

/** A receiving end in the suite's process. */
export interface ReceiveEnd {
  /** The next message (may reject with the transport's error). */
  recv(): Promise<unknown>;
  /** Closes it and removes what it made. */
  close(): Promise<void>;
}

/** A sending end in a peer process. */
export interface SendEnd {
  /** Sends one message. */
  send(message: unknown): Promise<void>;
}

/** One transport under the peer-death scenario. */
export interface DeathTransport {
  /** Its row name. */
  readonly name: string;
  /** The size of the big messages (that a kill lands inside). */
  readonly bigBytes: number;
  /**
   * The codes a receiver may end with after its peer was killed. Empty: the transport cannot tell a
   * death (no connection), and a bounded wait that gets nothing is the right outcome.
   */
  readonly deathCodes: readonly IpcErrorCode[];
  /** What the README says about it. */
  readonly note?: string;
  /** Opens the receiving end in `dir` and starts the sender with `role args`. */
  open(
    dir: string,
    children: ChildSet,
    args: Record<string, unknown>,
  ): Promise<{ end: ReceiveEnd; peer: Peer }>;
}

const gone: readonly IpcErrorCode[] = ['ERR_PEER_GONE'];

function startSender(
  children: ChildSet,
  transport: string,
  info: unknown,
  args: Record<string, unknown>,
): Peer {
  return children.spawnPeer('sender', { ...args, transport, info });
}

/**
 * A socket pair with an authkey: the handshake is where two @ipc ends learn that they both are, and so
 * that a close without the close marker is a crash (without an authkey a socket cannot tell: see the
 * core README's "Telling a crash from a close").
 */
function socketTransport(kind: 'unix' | 'tcp'): DeathTransport {
  return {
    name: `socket-${kind}`,
    bigBytes: 2 << 20,
    deathCodes: gone,
    note: 'with an authkey (how two @ipc ends know each other)',
    async open(dir, children, args) {
      const { listen } = await import('@ipc/socket');
      const authkey = randomBytes(16).toString('hex');
      const server = await listen(kind === 'unix' ? `unix://${join(dir, 's.sock')}` : 'tcp://127.0.0.1:0', {
        authkey,
      });
      const accepted = server.accept({ timeout: 30_000 });
      const a = server.address;
      const address =
        a.kind === 'unix' ? `unix://${a.path}` : `tcp://127.0.0.1:${(a as { port: number }).port}`;
      const peer = startSender(children, `socket`, { address, authkey }, args);
      const channel = await accepted.catch(async (err: unknown) => {
        await server.close();
        throw err;
      });
      return {
        peer,
        end: {
          recv: () => channel.recv(),
          close: async () => {
            await channel.close();
            await server.close();
          },
        },
      };
    },
  };
}

/** Every transport of the peer-death scenario. */
export const deathTransports: readonly DeathTransport[] = [
  {
    name: 'pipe',
    bigBytes: 2 << 20,
    deathCodes: gone,
    async open(_dir, children, args) {
      const { spawnChannel } = await import('@ipc/pipe');
      const { PEER_MAIN } = await import('../suite/child-set.js');
      const { child, channel, exited } = spawnChannel(
        process.execPath,
        [PEER_MAIN, 'sender', JSON.stringify({ ...args, transport: 'pipe', info: {} })],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      exited.catch(() => undefined);
      return {
        peer: children.track(child),
        end: { recv: () => channel.recv(), close: () => channel.close() },
      };
    },
  },
  {
    name: 'fifo',
    bigBytes: 2 << 20,
    deathCodes: gone,
    async open(dir, children, args) {
      const { createFifo, openFifo } = await import('@ipc/fifo');
      const fifo = await createFifo(join(dir, 'f.fifo'));
      const receiver = await openFifo(fifo.path, 'r');
      const peer = startSender(children, 'fifo', { path: fifo.path }, args);
      return {
        peer,
        end: {
          recv: () => receiver.recv(),
          close: async () => {
            await receiver.close();
            await fifo.remove();
          },
        },
      };
    },
  },
  socketTransport('unix'),
  socketTransport('tcp'),
  {
    name: 'shm-ring',
    bigBytes: 512 << 10,
    deathCodes: gone,
    async open(_dir, children, args) {
      const { ShmChannel } = await import('@ipc/shm');
      const { CHAOS_PREFIX } = await import('../suite/run-suite.js');
      const channel = ShmChannel.create(`${CHAOS_PREFIX}ring-${process.pid}-${Date.now()}`, {
        capacity: 4 << 20,
      });
      const peer = startSender(children, 'shm', { name: channel.segment.name }, args);
      return { peer, end: { recv: () => channel.recv(), close: () => channel.close() } };
    },
  },
  {
    name: 'queue',
    bigBytes: 512 << 10,
    deathCodes: gone,
    async open(_dir, children, args) {
      const { createQueue, queueChannel } = await import('@ipc/queue');
      const { CHAOS_PREFIX } = await import('../suite/run-suite.js');
      const base = `${CHAOS_PREFIX}q-${process.pid}-${Date.now()}`;
      const toPeer = createQueue(`${base}-a`, { capacityBytes: 4 << 20 });
      const fromPeer = createQueue(`${base}-b`, { capacityBytes: 4 << 20 });
      const channel = queueChannel(toPeer, fromPeer);
      const peer = startSender(children, 'queue', { toPeer: toPeer.name, fromPeer: fromPeer.name }, args);
      return {
        peer,
        end: {
          recv: () => channel.recv(),
          close: async () => {
            await channel.close(); // the last user of a queue unlinks it
          },
        },
      };
    },
  },
  {
    name: 'zmq-pair',
    bigBytes: 1 << 20,
    deathCodes: gone,
    async open(dir, children, args) {
      const zmq = await import('@ipc/mq/zmq');
      const endpoint = `ipc://${join(dir, 'pair.sock')}`;
      const channel = await zmq.pair(endpoint, { mode: 'bind' });
      const peer = startSender(children, 'zmq-pair', { endpoint }, args);
      return { peer, end: { recv: () => channel.recv(), close: () => channel.close() } };
    },
  },
  {
    name: 'zmq-push-pull',
    bigBytes: 1 << 20,
    deathCodes: [],
    note: 'ZeroMQ hides a pusher’s death from its puller: a bounded wait that gets nothing is right',
    async open(dir, children, args) {
      const zmq = await import('@ipc/mq/zmq');
      const endpoint = `ipc://${join(dir, 'pull.sock')}`;
      const receiver = await zmq.pull(endpoint);
      const peer = startSender(children, 'zmq-push', { endpoint }, args);
      return { peer, end: { recv: () => receiver.recv(), close: () => receiver.close() } };
    },
  },
  {
    name: 'file-spool',
    bigBytes: 1 << 20,
    deathCodes: [],
    note: 'a spool folder has no connection: a dead sender is seen as silence; no partial file may be delivered',
    async open(dir, children, args) {
      const { spoolReceiver, recoverStale } = await import('@ipc/file');
      const spool = join(dir, 'spool');
      const receiver = spoolReceiver(spool);
      const peer = startSender(children, 'spool', { dir: spool }, args);
      return {
        peer,
        end: {
          recv: () => receiver.recv(),
          close: async () => {
            await receiver.close();
            recoverStale(spool);
          },
        },
      };
    },
  },
];

/** Opens the sending end of `transport` in a peer process. */
export async function openSendEnd(transport: string, info: Record<string, unknown>): Promise<SendEnd> {
  switch (transport) {
    case 'pipe': {
      const { parentChannel } = await import('@ipc/pipe');
      return parentChannel();
    }
    case 'fifo': {
      const { openFifo } = await import('@ipc/fifo');
      return openFifo(info['path'] as string, 'w', { exclusive: true, announce: true, timeout: 30_000 });
    }
    case 'socket': {
      const { connect } = await import('@ipc/socket');
      return connect(info['address'] as string, { timeout: 30_000, authkey: info['authkey'] as string });
    }
    case 'shm': {
      const { ShmChannel } = await import('@ipc/shm');
      return ShmChannel.open(info['name'] as string);
    }
    case 'queue': {
      const { openQueue, queueChannel } = await import('@ipc/queue');
      return queueChannel(openQueue(info['fromPeer'] as string), openQueue(info['toPeer'] as string));
    }
    case 'zmq-pair': {
      const zmq = await import('@ipc/mq/zmq');
      return zmq.pair(info['endpoint'] as string);
    }
    case 'zmq-push': {
      const zmq = await import('@ipc/mq/zmq');
      return zmq.push(info['endpoint'] as string);
    }
    case 'spool': {
      const { spoolSender } = await import('@ipc/file');
      return spoolSender(info['dir'] as string, { fsync: false });
    }
    default:
      throw new Error(`unknown transport ${transport}`);
  }
}
