import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { connect, listen, SUN_PATH_BYTES } from '@ipc/socket';

async function startHoldServer(address: string) {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures/hold-server.mjs'), address], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = (async () => {
    const { createInterface } = await import('node:readline');
    for await (const line of createInterface({ input: child.stdout })) if (line === 'ready') return;
    throw new Error('the server child exited early');
  })();
  await lines;
  return { child, exited };
}

describe('Unix socket files: safe by default', () => {
  it('creates the socket file with mode 0600 (configurable), leaves no temporary file, removes it on close', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'a.sock');
    try {
      const server = await listen(`unix://${path}`);
      expect(lstatSync(path).isSocket()).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir.path)).toEqual(['a.sock']);
      await server.close();
      expect(existsSync(path)).toBe(false);

      const shared = await listen({ kind: 'unix', path }, { socketMode: 0o660 });
      expect(statSync(path).mode & 0o777).toBe(0o660);
      await shared.close();
      await shared.close();
      expect(existsSync(path)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('refuses a path longer than sun_path with ERR_INVALID_ARGUMENT instead of truncating it', async () => {
    const dir = tempDir();
    try {
      const long = join(dir.path, 'x'.repeat(SUN_PATH_BYTES));
      await expect(listen(`unix://${long}`)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(connect({ kind: 'unix', path: long })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
      expect(readdirSync(dir.path)).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('replaces the stale socket file a SIGKILLed server left behind', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'stale.sock');
    try {
      const first = await startHoldServer(`unix://${path}`);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(lstatSync(path).isSocket()).toBe(true); // left behind

      const server = await listen(`unix://${path}`);
      server.handle(() => 'new');
      const client = await connect(`unix://${path}`);
      expect(await client.request('who', { timeout: 5000 })).toBe('new');
      await client.close();
      await server.close();
      expect(existsSync(path)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('never steals a live socket: a second server gets ERR_ADDRESS_IN_USE and the first keeps serving', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'live.sock');
    const first = await startHoldServer(`unix://${path}`);
    try {
      await expect(listen(`unix://${path}`)).rejects.toMatchObject({ code: 'ERR_ADDRESS_IN_USE' });
      const client = await connect(`unix://${path}`);
      expect(await client.request('who', { timeout: 5000 })).toEqual({ pid: first.child.pid });
      await client.close();
      expect(readdirSync(dir.path)).toEqual(['live.sock']);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
      dir.remove();
    }
  });

  it('leaves a file that is not a socket alone (ERR_EXISTS)', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'data.txt');
    try {
      writeFileSync(path, 'keep me');
      await expect(listen(`unix://${path}`)).rejects.toMatchObject({ code: 'ERR_EXISTS' });
      expect(lstatSync(path).isFile()).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it('gives ERR_ADDRESS_IN_USE for a live abstract name and a live TCP port', async () => {
    const name = `ipc-live-${process.pid}-${Date.now()}`;
    const a = await listen({ kind: 'abstract', name });
    const t = await listen('tcp://127.0.0.1:0');
    try {
      await expect(listen(`unix-abstract:${name}`)).rejects.toMatchObject({ code: 'ERR_ADDRESS_IN_USE' });
      await expect(listen(t.address)).rejects.toMatchObject({ code: 'ERR_ADDRESS_IN_USE' });
    } finally {
      await a.close();
      await t.close();
    }
  });

  it('reports a missing socket file as ERR_NOT_FOUND on connect', async () => {
    const dir = tempDir();
    try {
      await expect(connect(`unix://${join(dir.path, 'none.sock')}`)).rejects.toMatchObject({
        code: 'ERR_NOT_FOUND',
      });
    } finally {
      dir.remove();
    }
  });
});
