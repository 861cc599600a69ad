/** Arguments of the `spool-producer` and `spool-consumer` roles. */
export interface SpoolRoleArgs {
  /** The spool folder. */
  dir: string;
  /** Producer: its number. */
  p?: number;
  /** Producer: messages to send. */
  count?: number;
}

function say(line: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
}

/** The `spool-producer` role: sends `count` messages `{ p, i }` (no fsync), closes, says `sent`, exits. */
export async function spoolProducerRole(args: SpoolRoleArgs): Promise<void> {
  const { spoolSender } = await import('@ipc/file');
  const out = spoolSender(args.dir, { fsync: false });
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < (args.count ?? 0); i++) {
    const p: Promise<void> = out.send({ p: args.p, i }).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= 256) await Promise.race(pending);
  }
  await Promise.all(pending);
  await out.close();
  await say('sent');
  process.exit(0);
}

/** The `spool-consumer` role: receives (prefetch 64) until a `{ stop: true }`, says `stopped <n>`, closes, exits. */
export async function spoolConsumerRole(args: SpoolRoleArgs): Promise<void> {
  const { spoolReceiver } = await import('@ipc/file');
  const rx = spoolReceiver<{ stop?: boolean; p?: number; i?: number }>(args.dir, { prefetch: 64 });
  await say('consuming');
  let n = 0;
  for (;;) {
    const m = await rx.recv();
    if (m.stop === true) break;
    n++;
  }
  await rx.close();
  await say(`stopped ${n}`);
  process.exit(0);
}
