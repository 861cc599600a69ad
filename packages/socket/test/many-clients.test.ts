import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from '@jest/globals';
import { formatAddress, listen } from '@ipc/socket';
import { freshAddress } from './fixtures/servers.js';

const CLIENTS = 1000;
const REQUESTS = 100;

describe('one server, many clients', () => {
  it(`answers ${CLIENTS} concurrent clients × ${REQUESTS} requests each, every reply correct, none lost`, async () => {
    const { address, remove } = freshAddress('unix');
    const server = await listen<unknown, { client: number; seq: number }>(address, { backlog: 1024 });
    let handled = 0;
    let peak = 0;
    server.handle((req: { client: number; seq: number }) => {
      handled++;
      peak = Math.max(peak, server.connections.size);
      return { client: req.client, seq: req.seq, sum: req.client * 1000 + req.seq };
    });
    const child = spawn(
      process.execPath,
      [
        join(__dirname, 'fixtures/many-clients.mjs'),
        formatAddress(server.address),
        String(CLIENTS),
        String(REQUESTS),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit');
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe(`connected ${CLIENTS}`);
      while (server.connections.size < CLIENTS) await new Promise((r) => setTimeout(r, 10));
      child.stdin.write('go\n');
      const summary = JSON.parse((await lines.next()).value as string) as { correct: number; wrong: number };
      expect(summary).toEqual({ correct: CLIENTS * REQUESTS, wrong: 0 });
      expect(handled).toBe(CLIENTS * REQUESTS);
      expect(peak).toBe(CLIENTS);
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await server.close();
      remove();
    }
  }, 120_000);
});
