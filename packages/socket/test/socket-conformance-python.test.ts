import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  childEchoPeer,
  describePythonPeerConformance,
  pythonEchoPeerArgs,
  tempDir,
  type PythonPeerCodec,
  jestRunner,
} from '@ipc/core/testing';
import { connect } from '@ipc/socket';

/** Waits for the Python listener's "ready <address>" line. */
function ready(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => {
      if (l.startsWith('ready ')) resolve(l.slice('ready '.length));
    });
    child.on('exit', (code) => reject(new Error(`python exited ${String(code)} before it was ready`)));
  });
}

// The Python peer: a multiprocessing.connection.Listener with an authkey; Node connects as a client.
for (const kind of ['unix', 'tcp'] as const) {
  describePythonPeerConformance(
    `@ipc/socket (${kind}, Python Listener with authkey)`,
    {
      peer: async (codec: PythonPeerCodec) => {
        const dir = tempDir();
        const where = kind === 'unix' ? join(dir.path, 'py.sock') : '127.0.0.1:0';
        const child = spawn('python3', pythonEchoPeerArgs(codec, { listen: where, authkey: 'conformance' }), {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const address = await ready(child);
        const channel = await connect(kind === 'unix' ? `unix://${address}` : `tcp://${address}`, {
          codec,
          authkey: 'conformance',
          timeout: 30_000,
        });
        return childEchoPeer(channel, child, () => dir.remove());
      },
    },
    jestRunner(),
  );
}
