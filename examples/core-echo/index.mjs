// The @ipc/core README example: a Unix socket echo server and client built on streamChannel.
import { createServer, connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamChannel } from '@ipc/kit';

const dir = mkdtempSync(join(tmpdir(), 'core-example-'));
const path = join(dir, 'echo.sock');
const server = createServer((socket) => {
  const ch = streamChannel(socket);
  void (async () => {
    for await (const m of ch) await ch.send({ echo: m.text.toUpperCase() });
  })();
}).listen(path);

// Plain JavaScript on Node 20 has no `await using` syntax (TypeScript compiles it): close explicitly.
const client = streamChannel(connect(path));
try {
  await client.send({ text: 'hello' });
  console.log(await client.recv({ timeout: 1000 }));
} finally {
  await client.close();
}
server.close();
rmSync(dir, { recursive: true, force: true });
