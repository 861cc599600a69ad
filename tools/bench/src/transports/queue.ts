/**
 * `@ipc/queue`: the process-safe MPMC queue in one named shared-memory segment (msgpack).
 * W4: the parent creates the queue, producers and consumers open it by name; a producer puts
 * synchronously when there is room (`tryPut`) and waits (`put`) only when the queue is full. The ring
 * is 32 MiB (still bounded): W4's 200,000 records (~19 MB) fit, as they do in the unbounded Python
 * queue and relay hub, so a put never waits for room.
 * W1: a queue each way (`queueChannel`), spinning up to 200 µs before a futex sleep.
 */
import type { BenchCase, Link, QueueConsumer, QueueParent, QueueProducer } from '../adapter.js';

async function available(): Promise<string | undefined> {
  try {
    const q = await import('@ipc/queue');
    if (typeof q.createQueue !== 'function') return '@ipc/queue has no createQueue (not built?)';
    const shm = await import('@ipc/shm');
    shm.futexWaitStats();
    return undefined;
  } catch (err) {
    return `@ipc/queue does not load: ${String(err)}`;
  }
}

/** W4: the ring's bytes. */
const W4_CAPACITY = 32 << 20;

/** W1: spin this long before sleeping (latency over CPU). */
const W1_SPIN_MICROS = 200;

export const cases: BenchCase[] = [
  {
    name: 'ipc-queue',
    group: 'ipc',
    description: 'MPMC queue in a named segment: robust locks, commit-state records, futex wake-ups',
    workloads: ['W1', 'W4'],
    encoding: () => 'msgpack, ring records',
    available,
    link: {
      async driver(ctx): Promise<Link> {
        const { createQueue, queueChannel } = await import('@ipc/queue');
        const options = { spinMicros: W1_SPIN_MICROS };
        const toPeer = `ipc-bench-q-${ctx.id}-a`;
        const fromPeer = `ipc-bench-q-${ctx.id}-b`;
        const channel = queueChannel(createQueue(toPeer, options), createQueue(fromPeer, options));
        ctx.spawnPeer({ info: { toPeer, fromPeer } });
        return channel;
      },
      async peer(ctx): Promise<Link> {
        const { openQueue, queueChannel } = await import('@ipc/queue');
        const options = { spinMicros: W1_SPIN_MICROS };
        return queueChannel(
          openQueue(ctx.info['fromPeer'] as string, options),
          openQueue(ctx.info['toPeer'] as string, options),
        );
      },
    },
    queue: {
      async parent(ctx): Promise<QueueParent> {
        const { createQueue } = await import('@ipc/queue');
        const queue = createQueue(`ipc-bench-q-${ctx.id}`, { capacityBytes: W4_CAPACITY });
        return {
          info: { name: queue.name },
          put: (m) => queue.put(m),
          close: () => queue.close(),
        };
      },
      async producer(ctx): Promise<QueueProducer> {
        const { openQueue } = await import('@ipc/queue');
        const queue = openQueue(ctx.info['name'] as string);
        return {
          put: (m) => (queue.tryPut(m) ? undefined : queue.put(m)),
          close: () => queue.close(),
        };
      },
      async consumer(ctx): Promise<QueueConsumer> {
        const { openQueue } = await import('@ipc/queue');
        const queue = openQueue(ctx.info['name'] as string);
        return {
          get: () => queue.get(),
          close: () => queue.close(),
        };
      },
    },
  },
];
