// The worker process: reads jobs from its parent over the inherited pipe, answers each one.
import { parentChannel } from '@ipc/pipe';

const parent = parentChannel();
for await (const job of parent) {
  await parent.send({ id: job.id, words: job.text.split(/\s+/).filter(Boolean).length });
}
await parent.close();
