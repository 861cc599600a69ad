import { openSendEnd } from './death-transports.js';
import { testMessage } from './test-message.js';

/** Arguments of the `sender` role. */
export interface SenderArgs {
  /** Which transport (see `openSendEnd`). */
  transport: string;
  /** Where it is (paths, names, endpoints). */
  info: Record<string, unknown>;
  /** `between`: send `count` small messages, say `sent`, then idle. `mid`: small and big messages until killed. */
  mode: 'between' | 'mid';
  /** How many messages in `between` mode. */
  count: number;
  /** Size of the big messages in `mid` mode. */
  bigBytes: number;
}

/** The `sender` role: sends test messages until the suite kills it. */
export async function senderRole(args: SenderArgs): Promise<void> {
  const end = await openSendEnd(args.transport, args.info);
  process.stdout.write('open\n');
  if (args.mode === 'between') {
    for (let i = 0; i < args.count; i++) await end.send(testMessage(i, 16 + ((i * 37) % 200)));
    process.stdout.write('sent\n');
    setInterval(() => undefined, 60_000);
    return;
  }
  for (let i = 0; ; i++) {
    await end.send(testMessage(i, i % 2 === 0 ? 100 : args.bigBytes));
    process.stdout.write(`sent ${i}\n`);
  }
}
