// @ipc/file in one page: a spool folder (one file per message) and a SQLite queue, each fed by
// Node and by "another program", received with manual acks. Run: node examples/file-queues/index.mjs
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spoolReceiver, spoolSender, sqliteQueue } from '@ipc/file';

const dir = mkdtempSync(join(tmpdir(), 'ipc-file-example-'));
try {
  // Spool folder: Node writes one file, another program drops one with write + mv.
  const spool = join(dir, 'jobs');
  const tx = spoolSender(spool, { codec: 'json' });
  await tx.send({ job: 'resize', id: 1 });
  await tx.close();
  writeFileSync(join(dir, 'drop.tmp'), JSON.stringify({ job: 'email', id: 2 }));
  renameSync(join(dir, 'drop.tmp'), join(spool, 'new', 'zz-from-the-shell.json')); // like `mv`
  const rx = spoolReceiver(spool, { codec: 'json' });
  for (let i = 0; i < 2; i++) {
    const d = await rx.recvDelivery({ timeout: 5000 });
    console.log('spool:', JSON.stringify(d.message));
    await d.ack(); // deletes the file
  }
  await rx.close();

  // SQLite queue: priorities, a nack, and a row as another language would INSERT it.
  const q = sqliteQueue(join(dir, 'queue.db'), { name: 'jobs', codec: 'json' });
  await q.send({ job: 'report' });
  await q.send({ job: 'urgent' }, { priority: 10 });
  const first = await q.recvDelivery({ timeout: 5000 });
  console.log('sqlite:', JSON.stringify(first.message), 'attempt', first.attempt);
  await first.nack(); // back in the queue, delivered again
  for (let i = 0; i < 2; i++) {
    const d = await q.recvDelivery({ timeout: 5000 });
    console.log('sqlite:', JSON.stringify(d.message), 'attempt', d.attempt);
    await d.ack();
  }
  await q.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
