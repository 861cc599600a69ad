// The doorbell pattern: the producer appends records to a file, then rings (SIGUSR2) the consumer.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sendSignal } from '@ipc/signal';

const dir = mkdtempSync(join(tmpdir(), 'signal-doorbell-'));
const spool = join(dir, 'orders.txt');
writeFileSync(spool, '', { mode: 0o600 });

const consumer = spawn(process.execPath, [fileURLToPath(new URL('consumer.mjs', import.meta.url)), spool], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: consumer.stdout });
lines.on('line', (line) => line !== 'ready' && console.log(line));
await once(lines, 'line'); // "ready": it listens now

for (let batch = 0; batch < 10; batch++) {
  for (let i = 0; i < 10; i++) appendFileSync(spool, `order ${batch * 10 + i}\n`); // write first ...
  sendSignal(consumer.pid, 'SIGUSR2'); // ... then ring
}
appendFileSync(spool, 'END\n');
sendSignal(consumer.pid, 'SIGUSR2');

const [code] = await once(consumer, 'exit');
console.log(`producer: wrote 100 orders in 10 batches; consumer exited with ${code}`);
rmSync(dir, { recursive: true, force: true });
