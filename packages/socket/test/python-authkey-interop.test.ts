import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { IpcError } from '@ipc/core';
import { tempDir } from '@ipc/core/testing';
import { connect, listen } from '@ipc/socket';
import { pythonScript as python } from './fixtures/python-script.js';

describe('authkey handshake with Python multiprocessing.connection (standard library only)', () => {
  it('serves a Python Client with the right authkey; rejects a wrong one with ERR_AUTH and keeps serving', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'py.sock');
    const errors: IpcError[] = [];
    const server = await listen(`unix://${path}`, {
      codec: 'json',
      authkey: 'sesame',
      onError: (err) => errors.push(err),
    });
    server.handle((req: { n?: number; fail?: boolean }) => {
      if (req.fail) throw new Error('no odd numbers');
      return { double: (req.n ?? 0) * 2 };
    });
    try {
      const bad = python('python-client.py', [path, 'wrong-key']);
      const [badCode] = await bad.exited;
      expect(badCode).not.toBe(0);
      expect(bad.stderr()).toContain('AuthenticationError');
      expect(errors.map((e) => e.code)).toContain('ERR_AUTH');

      const good = python('python-client.py', [path, 'sesame']);
      const [code] = await good.exited;
      expect(good.stderr()).toBe('');
      expect(code).toBe(0);
      expect(await good.line('python client ok')).toBe('python client ok');
    } finally {
      await server.close();
      dir.remove();
    }
  });

  it('connects to a Python Listener (legacy HMAC-MD5 on Python 3.11), and fails with ERR_AUTH on a wrong key', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'py.sock');
    const py = python('python-listener.py', [path, 'sesame']);
    try {
      await py.line('ready');
      const wrong = await connect(`unix://${path}`, {
        codec: 'json',
        authkey: 'nope',
        timeout: 10_000,
      }).catch((e: unknown) => e);
      expect(wrong).toMatchObject({ code: 'ERR_AUTH' });
      await py.line('rejected AuthenticationError');

      const client = await connect<unknown, { echo: unknown; from: string }>(`unix://${path}`, {
        codec: 'json',
        authkey: 'sesame',
        timeout: 10_000,
      });
      expect(client.info.auth).toEqual({ sent: 'md5', received: 'md5' }); // what Python 3.11 speaks
      for (let i = 0; i < 20; i++) {
        await client.send({ i, text: 'héllo' });
        expect(await client.recv({ timeout: 10_000 })).toEqual({
          echo: { i, text: 'héllo' },
          from: 'python',
        });
      }
      await client.send('stop');
      const [code] = await py.exited;
      expect(code).toBe(0);
      await client.close();
    } finally {
      if (py.child.exitCode === null) py.child.kill('SIGKILL');
      dir.remove();
    }
  });
});
