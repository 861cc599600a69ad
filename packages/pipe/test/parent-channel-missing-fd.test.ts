import { spawn } from 'node:child_process';
import { openSync, closeSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';

const probe = join(__dirname, 'fixtures', 'probe-parent-channel.mjs');

async function runProbe(stdio: (string | number)[], env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const child = spawn(process.execPath, [probe], { stdio: stdio as 'pipe'[], env });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += String(c)));
  await once(child, 'close');
  return JSON.parse(out) as unknown;
}

describe('parentChannel in a process started without a channel', () => {
  it('fails with ERR_NOT_FOUND when fd 3 is not open (a plain `node child.mjs`)', async () => {
    const env = { ...process.env };
    delete env.IPC_PIPE_FD;
    expect(await runProbe(['ignore', 'pipe', 'inherit'], env)).toEqual({
      ok: false,
      code: 'ERR_NOT_FOUND',
      name: 'IpcError',
    });
  });

  it('fails with ERR_NOT_FOUND when fd 3 is a regular file', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'not-a-pipe');
      writeFileSync(file, 'x');
      const fd = openSync(file, 'r');
      try {
        expect(await runProbe(['ignore', 'pipe', 'inherit', fd as unknown as string])).toEqual({
          ok: false,
          code: 'ERR_NOT_FOUND',
          name: 'IpcError',
        });
      } finally {
        closeSync(fd);
      }
    } finally {
      dir.remove();
    }
  });

  it('fails with ERR_NOT_FOUND when IPC_PIPE_FD names a descriptor that is not open', async () => {
    expect(await runProbe(['ignore', 'pipe', 'inherit'], { ...process.env, IPC_PIPE_FD: '900' })).toEqual({
      ok: false,
      code: 'ERR_NOT_FOUND',
      name: 'IpcError',
    });
  });
});
