// The @ipc/signal README example. Run as `node index.mjs`: it starts itself as a "service", sends it
// SIGHUP (reload) then SIGTERM (graceful shutdown), and prints what the service did.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onShutdown, propagateShutdown, sendSignal, shutdownSignal, signals } from '@ipc/signal';

if (process.argv[2] === 'service') {
  const stop = shutdownSignal(); // fires on SIGTERM/SIGINT: give it to every loop and @ipc call
  const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
  worker.on('exit', (code, signal) => console.log(`service: worker ended by ${signal}`));
  onShutdown(() => console.log('service: closing the database'), { timeout: 2000 });
  propagateShutdown(worker, { grace: 1000 }); // SIGTERM, 1 s, then SIGKILL — runs before the line above
  onShutdown(() => console.log('service: stopped accepting requests'));
  const reloads = signals(['SIGHUP'], { signal: stop }); // listening from here on
  console.log('ready');
  try {
    for await (const s of reloads) console.log(`service: ${s}, reloading config`);
  } catch (err) {
    console.log(`service: reload loop ended (${err.code})`); // ERR_ABORTED: the shutdown started
  }
} else {
  const service = spawn(process.execPath, [fileURLToPath(import.meta.url), 'service'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: service.stdout });
  lines.on('line', (line) => {
    if (line === 'ready') sendSignal(service.pid, 'SIGHUP');
    else console.log(line);
    if (line.includes('reloading')) sendSignal(service.pid, 'SIGTERM');
  });
  const [code] = await once(service, 'exit');
  console.log(`service exited with ${code} (128 + SIGTERM's 15)`);
}
