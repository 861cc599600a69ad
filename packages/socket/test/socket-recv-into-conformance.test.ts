import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describeRecvIntoConformance, jestRunner, type RecvIntoPair } from '@ipc/core/testing';
import { connect } from '@ipc/socket';
import { freshAddress, readyAddress, socketPair } from './fixtures/servers.js';

// Like Python's recv_bytes_into: a pair over each kind, and an echo server in a child process.
for (const kind of ['unix', 'tcp'] as const) {
  describeRecvIntoConformance(
    `@ipc/socket over ${kind}`,
    {
      pair: async ({ codec }) => (await socketPair(kind, codec, undefined)) as RecvIntoPair,
      echoPeer: async () => {
        const { address, remove } = freshAddress(kind);
        const where = address.kind === 'unix' ? `unix://${address.path}` : 'tcp://127.0.0.1:0';
        const server = spawn(process.execPath, [join(__dirname, 'fixtures', 'echo-server.mjs'), where], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, IPC_CODEC: 'raw' },
        });
        const exited = once(server, 'exit');
        const release = async (): Promise<void> => {
          server.kill('SIGKILL');
          await exited;
          remove();
        };
        try {
          const channel = await connect<Uint8Array>(await readyAddress(server), {
            codec: 'raw',
            maxFrameBytes: 16 << 20,
          });
          return { channel: channel, cleanup: release };
        } catch (err) {
          await release();
          throw err;
        }
      },
    },
    jestRunner(),
  );
}
