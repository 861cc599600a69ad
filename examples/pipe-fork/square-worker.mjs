// The child: its end of the channel is on fd 3, opened by parentChannel.
import { parentChannel } from '@ipc/pipe';

const channel = parentChannel();
for await (const n of channel) await channel.send(n * n);
await channel.close(); // the parent closed its end: close ours, and the process exits
