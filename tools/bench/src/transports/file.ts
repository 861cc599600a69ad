/**
 * `@ipc/file`: durable channels — a maildir-style spool folder (one file per message: write to
 * `tmp/`, rename into `new/`, claim by rename into `cur/<consumer>/`, delete on ack) and a SQLite
 * queue (WAL; INSERT per send, grouped per event-loop turn; claims in BEGIN IMMEDIATE; DELETE on
 * ack). Each with fsync on (spool: fdatasync + folder fsync; SQLite: synchronous=FULL) and off
 * (no fsync; SQLite: synchronous=NORMAL). Far below the memory transports by design: every
 * message is a file or a committed row.
 *
 * Flow control: a send resolves once the message is durable; the sender keeps up to 256 sends in
 * flight (a window, as SPEC.md allows) so that the transport can group fsyncs / transactions.
 */
import { join } from 'node:path';
import type {
  BenchCase,
  CaseContext,
  DriverContext,
  Link,
  QueueConsumer,
  QueueContext,
  QueueParent,
  QueueProducer,
} from '../adapter.js';

const WINDOW = 256;

type Kind = 'spool' | 'sqlite';

interface Sink {
  send(message: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Keeps up to WINDOW sends in flight; waits for the oldest beyond that. Rethrows the first failure. */
function windowed(sink: Sink): { send(message: unknown): void | Promise<void>; close(): Promise<void> } {
  const inFlight: Promise<void>[] = [];
  let failure: Error | undefined;
  const track = (p: Promise<void>): void => {
    inFlight.push(
      p.catch((err: unknown) => void (failure ??= err instanceof Error ? err : new Error(String(err)))),
    );
  };
  return {
    send(message) {
      if (failure !== undefined) throw failure;
      track(sink.send(message));
      if (inFlight.length >= WINDOW)
        return (inFlight.shift() as Promise<void>).then(() => {
          if (failure !== undefined) throw failure;
        });
      return undefined;
    },
    async close() {
      await Promise.all(inFlight.splice(0));
      await sink.close();
      if (failure !== undefined) throw failure;
    },
  };
}

async function available(): Promise<string | undefined> {
  try {
    const file = await import('@ipc/file');
    if (typeof file.spoolChannel !== 'function' || typeof file.sqliteQueue !== 'function') {
      return '@ipc/file has no spoolChannel/sqliteQueue (not built?)';
    }
    return undefined;
  } catch (err) {
    return `@ipc/file does not load: ${String(err)}`;
  }
}

async function openLink(kind: Kind, fsync: boolean, send: string, recv: string, db: string): Promise<Link> {
  const file = await import('@ipc/file');
  const channel =
    kind === 'spool'
      ? file.spoolChannel({ send, recv, fsync, prefetch: 256 })
      : file.sqliteChannel(db, { send, recv, fsync, prefetch: 256 });
  const out = windowed(channel);
  return {
    send: (m) => out.send(m),
    recv: () => channel.recv(),
    close: async () => {
      await out.close(); // flushes the window, then closes the channel (end marker)
    },
  };
}

function linkCase(kind: Kind, fsync: boolean): BenchCase {
  const label = fsync ? 'fsync' : 'nofsync';
  return {
    name: `ipc-file-${kind}-${label}`,
    group: 'ipc',
    description:
      kind === 'spool'
        ? `spool folder, one file per message, ${fsync ? 'fdatasync + folder fsync' : 'no fsync'}`
        : `SQLite queue (WAL), ${fsync ? 'synchronous=FULL (fsync per commit)' : 'synchronous=NORMAL (no fsync per commit)'}`,
    workloads: ['W2', 'W4'],
    encoding: () => 'msgpack, one file per message' + (kind === 'sqlite' ? ' (BLOB row)' : ''),
    note: `durable; fsync ${fsync ? 'on' : 'off'}; ${WINDOW} sends in flight`,
    // Disk-bound: a tenth of SPEC's counts keeps a full run within minutes (the report says so).
    countScale: { W2: 0.1, W4: 0.1 },
    available,
    link: {
      async driver(ctx: DriverContext): Promise<Link> {
        const info = { ab: join(ctx.dir, 'ab'), ba: join(ctx.dir, 'ba'), db: join(ctx.dir, 'queue.db') };
        const link = await openLink(
          kind,
          fsync,
          kind === 'spool' ? info.ab : 'ab',
          kind === 'spool' ? info.ba : 'ba',
          info.db,
        );
        ctx.spawnPeer({ info });
        return link;
      },
      async peer(ctx: CaseContext): Promise<Link> {
        const info = ctx.info as { ab: string; ba: string; db: string };
        return openLink(
          kind,
          fsync,
          kind === 'spool' ? info.ba : 'ba',
          kind === 'spool' ? info.ab : 'ab',
          info.db,
        );
      },
    },
    queue: {
      async parent(ctx: QueueContext): Promise<QueueParent> {
        const path = join(ctx.dir, kind === 'spool' ? 'spool' : 'queue.db');
        const out = await openSink(kind, fsync, path);
        return { info: { path }, put: (m) => out.send(m), close: () => out.close() };
      },
      async producer(ctx: QueueContext): Promise<QueueProducer> {
        const out = await openSink(kind, fsync, ctx.info['path'] as string);
        return { put: (m) => out.send(m), close: () => out.close() };
      },
      async consumer(ctx: QueueContext): Promise<QueueConsumer> {
        const file = await import('@ipc/file');
        const path = ctx.info['path'] as string;
        const rx =
          kind === 'spool'
            ? file.spoolReceiver(path, { prefetch: 64 })
            : file.sqliteQueue(path, { name: 'w4', prefetch: 64 });
        return { get: () => rx.recv(), close: () => rx.close() };
      },
    },
  };
}

async function openSink(kind: Kind, fsync: boolean, path: string): Promise<ReturnType<typeof windowed>> {
  const file = await import('@ipc/file');
  return windowed(
    kind === 'spool' ? file.spoolSender(path, { fsync }) : file.sqliteQueue(path, { name: 'w4', fsync }),
  );
}

export const cases: BenchCase[] = [
  linkCase('spool', true),
  linkCase('spool', false),
  linkCase('sqlite', true),
  linkCase('sqlite', false),
];
