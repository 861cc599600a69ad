// A Node server and a Python client, then a Python listener and a Node client — over a Unix socket,
// with a shared authkey (Python's multiprocessing.connection handshake) and JSON messages.
// Needs only python3 with its standard library. Run: node examples/socket-python/index.mjs
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, listen } from '@ipc/socket';

const AUTHKEY = 'correct horse battery staple';
const dir = mkdtempSync(join(tmpdir(), 'ipc-example-'));

const pythonClient = `
import json, sys
from multiprocessing.connection import Client
with Client(sys.argv[1], family="AF_UNIX", authkey=sys.argv[2].encode()) as conn:
    for n in (3, 4):
        conn.send_bytes(json.dumps({"$rpc": "req", "id": n, "body": {"op": "square", "n": n}}).encode())
        print("python got", json.loads(conn.recv_bytes())["body"], flush=True)
`;

const pythonListener = `
import json, sys
from multiprocessing.connection import Listener
with Listener(sys.argv[1], family="AF_UNIX", authkey=sys.argv[2].encode()) as listener:
    print("ready", flush=True)
    with listener.accept() as conn:
        while True:
            try:
                message = json.loads(conn.recv_bytes())
            except EOFError:
                break
            conn.send_bytes(json.dumps({"upper": message["text"].upper()}).encode())
`;

function python(code, path) {
  return spawn('python3', ['-c', code, path, AUTHKEY], { stdio: ['ignore', 'pipe', 'inherit'] });
}

try {
  // 1. Node serves, Python asks.
  const path = join(dir, 'node.sock');
  const server = await listen(`unix://${path}`, { codec: 'json', authkey: AUTHKEY });
  server.handle((req) => ({ square: req.n * req.n }));
  const client = python(pythonClient, path);
  client.stdout.pipe(process.stdout);
  const [code] = await once(client, 'exit');
  await server.close();
  console.log(`python client exited with ${code}`);

  // 2. Python serves, Node asks.
  const pyPath = join(dir, 'python.sock');
  const listener = python(pythonListener, pyPath);
  await new Promise((resolve) => listener.stdout.once('data', resolve)); // "ready"
  const channel = await connect(`unix://${pyPath}`, { codec: 'json', authkey: AUTHKEY, timeout: 5000 });
  await channel.send({ text: 'hello from node' });
  console.log('node got', await channel.recv({ timeout: 5000 }), `(auth: ${channel.info.auth?.received})`);
  await channel.close();
  await once(listener, 'exit');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
