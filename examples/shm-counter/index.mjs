// Two processes share an int32 counter (under a cross-process lock) and talk over a shared-memory
// ring channel. Run: node examples/shm-counter/index.mjs
import { spawn } from 'node:child_process';
import { ShmChannel, Value } from '@ipc/shm';

const [role, counterName, channelName] = process.argv.slice(2);

if (role === 'child') {
  const counter = Value.open(counterName);
  const channel = ShmChannel.open(channelName);
  for (let i = 0; i < 1000; i++) await counter.withLock(() => void (counter.value += 1));
  for await (const { n } of channel) await channel.send({ doubled: n * 2 });
  await channel.close();
  counter.close();
} else {
  const id = `${process.pid}-${Date.now()}`;
  const counter = Value.create(`example-counter-${id}`, 'i', 0); // /dev/shm, mode 0600
  const channel = ShmChannel.create(`example-channel-${id}`);
  const child = spawn(
    process.execPath,
    [process.argv[1], 'child', counter.segment.name, channel.segment.name],
    {
      stdio: 'inherit',
    },
  );
  for (let i = 0; i < 1000; i++) await counter.withLock(() => void (counter.value += 1));
  await channel.send({ n: 21 });
  console.log('reply:', (await channel.recv()).doubled);
  await channel.close(); // the child's loop ends; the creator unlinks the segment
  await new Promise((resolve) => child.on('exit', resolve));
  console.log('counter:', counter.value);
  counter.close();
}
