import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorCode, sleep, within } from '../suite/bounded.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';
import { rawConnect } from './raw-connection.js';

async function listenKill(ctx: ScenarioContext, trial: number): Promise<void> {
  const { listen } = await import('@ipc/socket');
  const row = ctx.row('socket-lifecycle SIGKILL during listen(), then listen() again');
  const dir = mkdtempSync(join(ctx.dir, `listen-${trial}-`));
  const path = join(dir, 's.sock');
  const peer = ctx.children.spawnPeer('listen-loop', { path });
  try {
    await peer.line((l) => l === 'listening');
    await sleep(Math.random() * 30);
    await peer.kill();
    const again = await within(listen(`unix://${path}`), 10_000);
    if (again.kind !== 'value') {
      return again.kind === 'hung'
        ? row.hang('listen() after the kill')
        : row.fail(`listen() after the kill failed: ${errorCode(again.error)}`);
    }
    await again.value.close();
    const left = readdirSync(dir);
    if (left.length > 0) return row.fail(`left beside the socket path: ${left.join(', ')}`);
    row.ok();
  } finally {
    await peer.kill();
  }
}

async function busyAuthServer(ctx: ScenarioContext): Promise<void> {
  const { connect } = await import('@ipc/socket');
  const full = ctx.row('socket-lifecycle full authenticated server (maxConnections 2, 2 silent sockets)');
  const nokey = ctx.row('socket-lifecycle client without authkey against a server that wants one');
  const server = ctx.children.spawnPeer('socket-server', {
    address: `unix://${join(ctx.dir, 'auth.sock')}`,
    authkey: 'chaos-key',
    maxConnections: 2,
  });
  try {
    const address = (await server.line((l) => l.startsWith('listening '))).slice('listening '.length);
    const silent = [await rawConnect(address), await rawConnect(address)];
    await sleep(200);
    const tryConnect = async (): Promise<unknown> => {
      const c = await connect(address, { authkey: 'chaos-key', timeout: 5000 });
      try {
        return await c.request({ x: 1 }, { timeout: 5000 });
      } finally {
        await c.close();
      }
    };
    const got = await within(tryConnect(), 15_000);
    if (got.kind === 'hung') full.hang('connect/request to a full server');
    else if (got.kind === 'value') full.ok();
    else if (errorCode(got.error) === 'ERR_AUTH')
      full.fail('ERR_AUTH with the right key: a busy server looks like a wrong key');
    else if (errorCode(got.error).startsWith('untyped')) full.fail(`${errorCode(got.error)}`);
    else {
      full.fact(`refused with ${errorCode(got.error)}`);
      full.ok();
    }
    for (const s of silent) s.destroy();
    await sleep(300);
    const plain = await within(
      connect(address, { timeout: 5000 }).then(async (c) => {
        try {
          return await c.request({ x: 1 }, { timeout: 5000 });
        } finally {
          await c.close();
        }
      }),
      15_000,
    );
    if (plain.kind === 'hung') nokey.hang('connect without a key');
    else if (plain.kind === 'value') nokey.fail('served without the key');
    else if (errorCode(plain.error) === 'ERR_AUTH') nokey.ok();
    else nokey.fail(`${errorCode(plain.error)} instead of ERR_AUTH`);
  } finally {
    await server.stop(); // SIGTERM: the server closes and removes its socket file
  }
}

/** Socket server lifecycle faults: a listen() killed half-way, a busy authenticated server. */
export const socketLifecycle: Scenario = {
  name: 'socket-lifecycle',
  description:
    'SIGKILLs a process looping listen()/close() on a Unix socket file at a random moment: the next listen() on that path works and nothing (no socket, no .ipc-XXXXXX folder) is left beside it; a full authenticated server says it is busy, not ERR_AUTH; a client without the key gets ERR_AUTH',
  timeoutMs: ({ quick }) => (quick ? 120_000 : 600_000),
  async run(ctx) {
    const trials = ctx.quick ? 5 : 30;
    for (let t = 0; t < trials && !ctx.signal.aborted; t++) await listenKill(ctx, t);
    await busyAuthServer(ctx);
  },
};
