import { openSync, writeSync } from 'node:fs';

/** Arguments of the `queue-consumer` role. */
export interface QueueConsumerArgs {
  /** The queue's name. */
  name: string;
  /** A file it appends its log to (stdout to a pipe is asynchronous: a SIGKILL loses what is queued). */
  log: string;
}

/**
 * The `queue-consumer` role: takes messages with `{ ack: true }` until killed, logging `acking <i>`
 * before each ack and `acked <i>` once the ack took (synchronous appends, so a kill loses no line).
 */
export async function queueConsumerRole(args: QueueConsumerArgs): Promise<void> {
  const { openQueue } = await import('@ipc/queue');
  const queue = openQueue<{ i: number }>(args.name);
  const log = openSync(args.log, 'a', 0o600);
  process.stdout.write('consuming\n');
  for (let n = 0; ; n++) {
    const delivery = await queue.get({ ack: true, timeout: 60_000 });
    const i = delivery.message.i;
    writeSync(log, `acking ${i}\n`);
    if (delivery.tryAck()) writeSync(log, `acked ${i}\n`);
    if (n === 0) process.stdout.write('acked\n');
  }
}
