/**
 * `@ipc/shm`: a ShmChannel (two SPSC rings in one named segment, spin-then-futex). The driver creates
 * the segment and the peer opens it by name. msgpack for W1/W2; raw bytes for W3 with one copy into
 * the ring and one copy out (`recvInto` one kept buffer, as for a pipe). A labelled zero-copy-receive
 * variant reads each W3 message in place (`recvView`, a view valid until the next receive): one copy
 * in, none out.
 * Each message is handed over by one call: `trySend` when the ring has room now (no promise to
 * await), else `send`, which waits for room (backpressure).
 */
import type { BenchCase, CaseContext, Link } from '../adapter.js';
import { receivingInto, type BytesChannel } from '../links/receive-into-link.js';

type Mode = 'copy' | 'view';

async function available(): Promise<string | undefined> {
  try {
    const shm = await import('@ipc/shm');
    if (typeof shm.ShmChannel !== 'function') return '@ipc/shm has no ShmChannel (not built?)';
    // Loads the native addon: an ERR_UNSUPPORTED here says why it cannot run.
    shm.futexWaitStats();
    shm.SharedMemory.open('ipc-bench-probe-that-does-not-exist').close();
    return undefined;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return code === 'ERR_NOT_FOUND' ? undefined : `@ipc/shm does not load: ${String(err)}`;
  }
}

function options(ctx: CaseContext): { codec: 'raw' | 'msgpack'; capacity: number } {
  // W3: 8 MiB rings hold a 1 MiB message in one record (a record is at most a quarter of the ring).
  return ctx.payload === 'bytes'
    ? { codec: 'raw', capacity: 8 << 20 }
    : { codec: 'msgpack', capacity: 1 << 20 };
}

function link(channel: import('@ipc/shm').ShmChannel, mode: Mode, ctx: CaseContext): Link {
  // W3 copying: `recvInto` one kept buffer, as the pipe, FIFO and socket cases do.
  if (mode === 'copy' && ctx.payload === 'bytes') return receivingInto(channel as BytesChannel);
  return {
    send: (m) => (channel.trySend(m) ? undefined : channel.send(m)),
    recv: mode === 'copy' ? () => channel.recv() : () => channel.recvView(),
    close: () => channel.close(),
  };
}

function shmCase(name: string, mode: Mode): BenchCase {
  return {
    name,
    group: 'ipc',
    description:
      mode === 'copy'
        ? 'ShmChannel: two SPSC rings in a named segment, spin then futex'
        : 'ShmChannel, zero-copy receive (recvView): one copy in, the receiver reads in place',
    workloads: mode === 'copy' ? ['W1', 'W2', 'W3'] : ['W3'],
    encoding: (w) =>
      w !== 'W3'
        ? 'msgpack, ring records'
        : mode === 'copy'
          ? 'raw bytes, ring records, recvInto'
          : 'raw bytes, ring records',
    ...(mode === 'view' ? { note: 'zero-copy receive' } : {}),
    available,
    link: {
      async driver(ctx): Promise<Link> {
        const { ShmChannel } = await import('@ipc/shm');
        const channel = ShmChannel.create(`ipc-bench-${ctx.id}`, options(ctx));
        ctx.spawnPeer({ info: { name: channel.segment.name } });
        return link(channel, mode, ctx);
      },
      async peer(ctx): Promise<Link> {
        const { ShmChannel } = await import('@ipc/shm');
        return link(ShmChannel.open(ctx.info['name'] as string, { codec: options(ctx).codec }), mode, ctx);
      },
    },
  };
}

export const cases: BenchCase[] = [
  shmCase('ipc-shm-ring', 'copy'),
  shmCase('ipc-shm-ring-zero-copy', 'view'),
];
