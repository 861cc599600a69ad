/**
 * @ipc/mq: ZeroMQ PUSH/PULL (W2, W3) and DEALER/ROUTER (W1) over `ipc://` in the case's folder, and
 * an AMQP queue on the local RabbitMQ (W2, W4) — each next to a raw baseline written directly against
 * `zeromq` / `amqplib` with the same sockets, queues and codec (msgpack; raw bytes for W3), so the
 * wrapper's overhead is measured in one run.
 *
 * PUSH/PULL is one-way, so a W2/W3 link is a PUSH to the other side's PULL plus a PULL from its PUSH.
 * The driver binds both sockets before it starts the peer and the peer connects both, so every connect
 * finds its listener at the first attempt: no ZeroMQ reconnect timer (whose interval and backoff
 * differ between raw zeromq's defaults and @ipc/mq's) runs into the timed part.
 * W1 runs the driver as a ROUTER (it learns the peer's routing id from the peer's "ready") and the
 * peer as a DEALER. AMQP: two transient queues (driver→peer, peer→driver), non-persistent messages;
 * `send` resolves on the broker's confirm, so the links keep a window of 1,000 unconfirmed sends
 * (SPEC: "a window of outstanding sends"; no per-message wait).
 */
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { asBuffer } from '@ipc/core'; // amqplib copies bodies with Buffer methods
import type { BenchCase, CaseContext, DriverContext, Link, QueueContext } from '../adapter.js';

const AMQP_URL = process.env.IPC_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const WINDOW = 1000;

async function mqAvailable(): Promise<string | undefined> {
  try {
    const zmq = await import('@ipc/mq/zmq');
    return typeof zmq.push === 'function' ? undefined : '@ipc/mq/zmq does not export push';
  } catch (err) {
    return `@ipc/mq is not built (${(err as Error).message.split('\n')[0]})`;
  }
}

async function brokerAvailable(): Promise<string | undefined> {
  const missing = await mqAvailable();
  if (missing !== undefined) return missing;
  const { hostname, port } = new URL(AMQP_URL);
  return new Promise((resolve) => {
    const socket = netConnect(Number(port || 5672), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`RabbitMQ not reachable on ${hostname}:${port || 5672} (timeout)`);
    }, 2000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(`RabbitMQ not reachable on ${hostname}:${port || 5672} (${err.code ?? err.message})`);
    });
  });
}

/** A send window: `send` returns at once until `WINDOW` sends are unconfirmed, then waits for one. */
function windowed(send: (m: unknown) => Promise<void>): {
  send: (m: unknown) => Promise<void> | void;
  flush: () => Promise<void>;
} {
  const outstanding = new Set<Promise<void>>();
  let failure: unknown;
  return {
    send(m) {
      if (failure !== undefined) throw failure as Error;
      const p = send(m).then(
        () => void outstanding.delete(p),
        (err: unknown) => {
          outstanding.delete(p);
          failure = err;
        },
      );
      outstanding.add(p);
      if (outstanding.size >= WINDOW) return Promise.race(outstanding);
    },
    async flush() {
      await Promise.all(outstanding);
      if (failure !== undefined) throw failure as Error;
    },
  };
}

/** A tiny async FIFO for the raw baselines' receive side. */
class Mailbox<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((v: T) => void) | undefined;
  put(v: T): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w(v);
    } else this.items.push(v);
  }
  take(): Promise<T> {
    if (this.head < this.items.length) {
      const v = this.items[this.head++] as T;
      if (this.head > 4096) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve(v);
    }
    return new Promise((r) => (this.waiter = r));
  }
}

// ---------------------------------------------------------------- ZeroMQ through @ipc/mq

const zmqOptions = (ctx: CaseContext) => ({
  codec: ctx.payload === 'bytes' ? ('raw' as const) : ('msgpack' as const),
  // W3: 1 MiB messages; ZeroMQ's HWM counts messages, keep the queues to ~32 MiB.
  ...(ctx.payload === 'bytes'
    ? { sendHighWaterMark: 16, receiveHighWaterMark: 16, highWaterMessages: 16 }
    : {}),
});

async function zmqPipelineLink(
  ctx: CaseContext,
  inbound: string,
  outbound: string,
  mode: 'bind' | 'connect',
): Promise<Link> {
  const zmq = await import('@ipc/mq/zmq');
  const rx = await zmq.pull(`ipc://${inbound}`, { ...zmqOptions(ctx), mode });
  const tx = await zmq.push(`ipc://${outbound}`, { ...zmqOptions(ctx), mode });
  return {
    send: (m) => tx.send(m),
    recv: () => rx.recv(),
    close: async () => {
      await tx.close();
      await rx.close();
    },
  };
}

// ---------------------------------------------------------------- raw zeromq baseline

async function rawZmqPipelineLink(
  ctx: CaseContext,
  inbound: string,
  outbound: string,
  mode: 'bind' | 'connect',
): Promise<Link> {
  const zmq = await import('zeromq');
  const { msgpack } = await import('@ipc/core');
  const bytes = ctx.payload === 'bytes';
  const hwm = bytes ? 16 : 1000;
  const pull = new zmq.Pull({ receiveHighWaterMark: hwm, linger: 2000 });
  const push = new zmq.Push({ sendHighWaterMark: hwm, linger: 2000 });
  if (mode === 'bind') {
    await pull.bind(`ipc://${inbound}`);
    await push.bind(`ipc://${outbound}`);
  } else {
    pull.connect(`ipc://${inbound}`);
    push.connect(`ipc://${outbound}`);
  }
  return {
    send: (m) => push.send(bytes ? (m as Uint8Array) : msgpack.encode(m)),
    recv: async () => {
      const [frame] = await pull.receive();
      return bytes ? frame : msgpack.decode(frame as Buffer);
    },
    close: async () => {
      push.close();
      pull.close();
    },
  };
}

function zmqPipelineCase(raw: boolean): BenchCase {
  const make = raw ? rawZmqPipelineLink : zmqPipelineLink;
  return {
    name: raw ? 'raw-zeromq-push-pull' : 'ipc-mq-zmq-push-pull',
    group: raw ? 'library' : 'ipc',
    description: raw
      ? 'raw zeromq.js PUSH/PULL over ipc:// (baseline for @ipc/mq)'
      : '@ipc/mq zmq.push / zmq.pull over ipc://',
    workloads: ['W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, one ZeroMQ frame' : 'msgpack, one ZeroMQ frame'),
    available: mqAvailable,
    link: {
      async driver(ctx: DriverContext) {
        const toPeer = join(ctx.dir, 'to-peer.sock');
        const toDriver = join(ctx.dir, 'to-driver.sock');
        const link = await make(ctx, toDriver, toPeer, 'bind');
        ctx.spawnPeer({ info: { toPeer, toDriver } });
        return link;
      },
      peer: (ctx) => make(ctx, ctx.info['toPeer'] as string, ctx.info['toDriver'] as string, 'connect'),
    },
  };
}

function zmqRouterCase(raw: boolean): BenchCase {
  return {
    name: raw ? 'raw-zeromq-dealer-router' : 'ipc-mq-zmq-dealer-router',
    group: raw ? 'library' : 'ipc',
    description: raw
      ? 'raw zeromq.js ROUTER (driver) / DEALER (peer) over ipc:// (baseline for @ipc/mq)'
      : '@ipc/mq zmq.router (driver) / zmq.dealer (peer) over ipc://',
    workloads: ['W1'],
    encoding: () => 'msgpack, ZeroMQ frames',
    available: mqAvailable,
    link: {
      async driver(ctx: DriverContext): Promise<Link> {
        const endpoint = `ipc://${join(ctx.dir, 'router.sock')}`;
        let peer: Uint8Array | undefined;
        if (raw) {
          const zmq = await import('zeromq');
          const { msgpack } = await import('@ipc/core');
          const router = new zmq.Router({ linger: 0 });
          await router.bind(endpoint);
          ctx.spawnPeer({ info: { endpoint } });
          return {
            send: (m) => router.send([peer as Uint8Array, msgpack.encode(m)]),
            recv: async () => {
              const [id, body] = await router.receive();
              peer = id;
              return msgpack.decode(body as Buffer);
            },
            close: async () => router.close(),
          };
        }
        const zmq = await import('@ipc/mq/zmq');
        const router = await zmq.router(endpoint, { linger: 0 });
        ctx.spawnPeer({ info: { endpoint } });
        return {
          send: (m) => router.send({ peer: peer as Uint8Array, message: m }),
          recv: async () => {
            const r = await router.recv();
            peer = r.peer;
            return r.message;
          },
          close: () => router.close(),
        };
      },
      async peer(ctx: CaseContext): Promise<Link> {
        const endpoint = ctx.info['endpoint'] as string;
        if (raw) {
          const zmq = await import('zeromq');
          const { msgpack } = await import('@ipc/core');
          const dealer = new zmq.Dealer({ linger: 2000 });
          dealer.connect(endpoint);
          return {
            send: (m) => dealer.send(msgpack.encode(m)),
            recv: async () => msgpack.decode((await dealer.receive())[0] as Buffer),
            close: async () => dealer.close(),
          };
        }
        const zmq = await import('@ipc/mq/zmq');
        return zmq.dealer(endpoint);
      },
    },
  };
}

// ---------------------------------------------------------------- AMQP through @ipc/mq

async function amqpLink(ctx: CaseContext, inbound: string, outbound: string, owner: boolean): Promise<Link> {
  const amqp = await import('@ipc/mq/amqp');
  const conn = await amqp.connect(AMQP_URL);
  const qIn = await conn.queue(inbound, { durable: false });
  const qOut = await conn.queue(outbound, { durable: false });
  const rx = await qIn.receiver({ prefetch: 1000 });
  const sender = qOut.sender({ persistent: false });
  const win = windowed((m) => sender.send(m));
  void ctx;
  return {
    send: (m) => win.send(m),
    recv: () => rx.recv(),
    close: async () => {
      await win.flush();
      await rx.close();
      if (owner) await Promise.all([qIn.delete(), qOut.delete()]).catch(() => undefined);
      await conn.close();
    },
  };
}

// ---------------------------------------------------------------- raw amqplib baseline

async function rawAmqpLink(
  ctx: CaseContext,
  inbound: string,
  outbound: string,
  owner: boolean,
): Promise<Link> {
  const amqplib = await import('amqplib');
  const { msgpack } = await import('@ipc/core');
  void ctx;
  const conn = await amqplib.connect(AMQP_URL, { noDelay: true });
  const pub = await conn.createConfirmChannel();
  const sub = await conn.createChannel();
  await pub.assertQueue(inbound, { durable: false });
  await pub.assertQueue(outbound, { durable: false });
  await sub.prefetch(1000);
  const box = new Mailbox<unknown>();
  await sub.consume(inbound, (msg) => {
    if (msg === null) return;
    box.put(msgpack.decode(msg.content));
    sub.ack(msg);
  });
  const win = windowed(
    (m) =>
      new Promise<void>((resolve, reject) => {
        pub.sendToQueue(outbound, asBuffer(msgpack.encode(m)), { persistent: false }, (err: unknown) =>
          err ? reject(err instanceof Error ? err : new Error('publish failed')) : resolve(),
        );
      }),
  );
  return {
    send: (m) => win.send(m),
    recv: () => box.take(),
    close: async () => {
      await win.flush();
      await sub.close();
      if (owner) {
        await pub.deleteQueue(inbound);
        await pub.deleteQueue(outbound);
      }
      await pub.close();
      await conn.close();
    },
  };
}

function amqpCase(raw: boolean): BenchCase {
  const make = raw ? rawAmqpLink : amqpLink;
  const prefix = raw ? 'raw-amqplib' : 'ipc-mq-amqp';
  return {
    name: `${prefix}-queue`,
    group: raw ? 'library' : 'ipc',
    description: raw
      ? 'raw amqplib confirm channel + consumer on RabbitMQ (baseline for @ipc/mq)'
      : '@ipc/mq amqp queue sender (confirmed) / receiver (acked) on RabbitMQ',
    workloads: ['W2', 'W4'],
    encoding: () => 'msgpack, one AMQP message',
    note: 'transient queues, window of 1,000 unconfirmed sends',
    available: brokerAvailable,
    link: {
      async driver(ctx: DriverContext) {
        const toPeer = `${prefix}-${ctx.id}-to-peer`;
        const toDriver = `${prefix}-${ctx.id}-to-driver`;
        const link = await make(ctx, toDriver, toPeer, true);
        ctx.spawnPeer({ info: { toPeer, toDriver } });
        return link;
      },
      peer: (ctx) => make(ctx, ctx.info['toPeer'] as string, ctx.info['toDriver'] as string, false),
    },
    queue: raw ? rawAmqpQueue(prefix) : amqpQueue(prefix),
  };
}

function amqpQueue(prefix: string): BenchCase['queue'] {
  const open = async (ctx: QueueContext) => {
    const amqp = await import('@ipc/mq/amqp');
    const conn = await amqp.connect(AMQP_URL);
    const queue = await conn.queue(`${prefix}-${ctx.id}-w4`, { durable: false });
    return { conn, queue };
  };
  const producer = async (ctx: QueueContext) => {
    const { conn, queue } = await open(ctx);
    const sender = queue.sender({ persistent: false });
    const win = windowed((m) => sender.send(m));
    return {
      put: (m: unknown) => win.send(m),
      close: async () => {
        await win.flush();
        await conn.close();
      },
    };
  };
  return {
    async parent(ctx) {
      const { conn, queue } = await open(ctx);
      const p = queue.sender({ persistent: false });
      return {
        put: (m: unknown) => p.send(m),
        close: async () => {
          await queue.delete().catch(() => undefined);
          await conn.close();
        },
      };
    },
    producer,
    async consumer(ctx) {
      const { conn, queue } = await open(ctx);
      // Acked when taken, as the raw baseline does. Auto ack would ack each message at the next
      // `recv` and requeue the last one at close: the stop sentinel of the warm-up pass, which the
      // timed pass would then find first.
      const rx = await queue.receiver({ prefetch: 500, ack: 'manual' });
      return {
        get: async () => {
          const delivery = await rx.recv();
          await delivery.ack();
          return delivery.message;
        },
        close: async () => {
          await rx.close();
          await conn.close();
        },
      };
    },
  };
}

function rawAmqpQueue(prefix: string): BenchCase['queue'] {
  const open = async (ctx: QueueContext) => {
    const amqplib = await import('amqplib');
    const { msgpack } = await import('@ipc/core');
    const conn = await amqplib.connect(AMQP_URL, { noDelay: true });
    const ch = await conn.createConfirmChannel();
    const name = `${prefix}-${ctx.id}-w4`;
    await ch.assertQueue(name, { durable: false });
    const put = (m: unknown) =>
      new Promise<void>((resolve, reject) =>
        ch.sendToQueue(name, asBuffer(msgpack.encode(m)), { persistent: false }, (err: unknown) =>
          err ? reject(err instanceof Error ? err : new Error('publish failed')) : resolve(),
        ),
      );
    return { conn, ch, name, put, msgpack };
  };
  return {
    async parent(ctx) {
      const { conn, ch, name, put } = await open(ctx);
      return {
        put,
        close: async () => {
          await ch.deleteQueue(name).catch(() => undefined);
          await conn.close();
        },
      };
    },
    async producer(ctx) {
      const { conn, put } = await open(ctx);
      const win = windowed(put);
      return {
        put: (m: unknown) => win.send(m),
        close: async () => {
          await win.flush();
          await conn.close();
        },
      };
    },
    async consumer(ctx) {
      const { conn, ch, name, msgpack } = await open(ctx);
      await ch.prefetch(500);
      // Ack a message when it is taken, not on arrival: prefetched messages a consumer never takes
      // (after its stop sentinel) are requeued for the other consumer when it closes, as @ipc/mq does.
      const box = new Mailbox<import('amqplib').ConsumeMessage>();
      await ch.consume(name, (msg) => {
        if (msg !== null) box.put(msg);
      });
      return {
        get: async () => {
          const msg = await box.take();
          ch.ack(msg);
          return msgpack.decode(msg.content);
        },
        // Close the channel first: its close frame follows its acks on the channel's own stream. A bare
        // conn.close() can reach the broker before the last acks (amqplib multiplexes channels), and
        // the broker then redelivers messages this consumer already counted.
        close: async () => {
          await ch.close();
          await conn.close();
        },
      };
    },
  };
}

export const cases: BenchCase[] = [
  zmqPipelineCase(false),
  zmqPipelineCase(true),
  zmqRouterCase(false),
  zmqRouterCase(true),
  amqpCase(false),
  amqpCase(true),
];
