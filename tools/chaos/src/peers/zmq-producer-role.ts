/** Arguments of the `zmq-producer` role. */
export interface ZmqProducerArgs {
  /** The puller's endpoint. */
  endpoint: string;
  /** This producer's number. */
  p: number;
  /** Messages to push. */
  count: number;
}

/** The `zmq-producer` role: pushes `count` messages `{ p, i }` (endOnClose), closes, says `closed`, exits. */
export async function zmqProducerRole(args: ZmqProducerArgs): Promise<void> {
  const zmq = await import('@ipc/mq/zmq');
  const push = await zmq.push(args.endpoint, { endOnClose: true });
  for (let i = 0; i < args.count; i++) await push.send({ p: args.p, i });
  await push.close();
  process.stdout.write('closed\n');
  process.exit(0);
}
