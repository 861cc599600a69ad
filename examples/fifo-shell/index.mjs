// The @ipc/fifo README example: newline-delimited JSON over named pipes, with real shell commands.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFifo, openFifo } from '@ipc/fifo';

const sh = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fifo-example-'));
const ndjson = { framing: 'lines', codec: 'json' };
const inbox = await createFifo(join(dir, 'inbox')); // mode 0600
const outbox = await createFifo(join(dir, 'outbox'));
try {
  // Shell → Node: `echo` writes one line; the receiver waits for writers without blocking the process.
  const rx = await openFifo(inbox.path, 'r', ndjson);
  await sh('sh', ['-c', `echo '{"a":1}' > "$1"`, 'sh', inbox.path]);
  console.log('from echo:', await rx.recv({ timeout: 5000 }));
  await rx.close();

  // Node → shell: `cat` reads what the sender writes (the sender waits until cat has opened the FIFO).
  const cat = sh('cat', [outbox.path]);
  const tx = await openFifo(outbox.path, 'w', { ...ndjson, timeout: 5000 });
  await tx.send({ hello: 'shell' });
  await tx.send([1, 2, 3]);
  await tx.close();
  process.stdout.write(`cat printed:\n${(await cat).stdout}`);
} finally {
  await inbox.remove();
  await outbox.remove();
  rmSync(dir, { recursive: true, force: true });
}
