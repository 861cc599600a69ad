// Peer credentials: a server that knows which process and user each client is, and lets in only
// its own user. Run: node packages/socket/examples/peer-credentials.mjs (Linux; after `npm ci`).
// The script is both sides: without arguments it is the server and starts itself as a client.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, listen } from '@ipc/socket';

const [role, address] = process.argv.slice(2);

if (role === 'client') {
  const client = await connect(address);
  const reply = await client.request('who am I?');
  console.log(`client: the server says I am ${reply}`);
  console.log(
    `client: the server is pid ${client.peer.pid} (my parent: ${client.peer.pid === process.ppid})`,
  );
  await client.close();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'peer-example-'));
  const server = await listen(`unix://${dir}/app.sock`, {
    allowUids: [process.getuid()], // only processes of this user may connect
    onError: (err, { phase }) => console.error(`server: ${phase}: ${err.message}`),
  });
  try {
    server.handle((request, ctx) => {
      const { pid, uid, gid } = ctx.peer; // read once when the client connected
      return `pid ${pid}, uid ${uid}, gid ${gid}`;
    });
    const me = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [me, 'client', `unix://${dir}/app.sock`], { stdio: 'inherit' });
    const [code] = await once(child, 'exit');
    console.log(`server: the client (pid ${child.pid}) exited with ${code}`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
