// The reader: SIGUSR2 means "there is something new in the file". It reads everything from where it
// stopped, so several rings merged into one (the kernel may do that) lose nothing.
import { closeSync, openSync, readSync } from 'node:fs';
import { signals } from '@ipc/signal';

const bell = signals('SIGUSR2'); // 1. listen first ...
const fd = openSync(process.argv[2], 'r'); // 2. ... then look: a ring in between is not lost
const buf = Buffer.alloc(64 * 1024);
let offset = 0;
let partial = '';
let orders = 0;
let done = false;

function readNew() {
  let n;
  while ((n = readSync(fd, buf, 0, buf.length, offset)) > 0) {
    offset += n;
    partial += buf.toString('utf8', 0, n);
  }
  const lines = partial.split('\n');
  partial = lines.pop(); // a line still being written waits for the next ring
  for (const line of lines) {
    if (line === 'END') done = true;
    else orders += 1;
  }
}

let rings = 0;
readNew(); // the first look (the producer waits for "ready", so it finds nothing here)
console.log('ready');
while (!done && !(await bell.next()).done) {
  rings += 1;
  readNew();
}
await bell.close();
closeSync(fd);
console.log(`consumer: read ${orders} orders after ${rings} wake-up(s)`);
