import { describe, expect, it, jest } from '@jest/globals';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { forkChannel, spawnChannel } from '@ipc/pipe';

jest.setTimeout(60_000);

const echoChild = new URL('./fixtures/echo-child.mjs', pathToFileURL(__filename));

describe('forkChannel and spawnChannel with a module URL', () => {
  it('forkChannel(new URL(...)) finds the module from another working directory', async () => {
    const { channel, exited } = forkChannel<string, string>(echoChild, [], { cwd: tmpdir() });
    try {
      await channel.send('hello');
      expect(await channel.recv({ timeout: 30_000 })).toBe('hello');
    } finally {
      await channel.close();
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('spawnChannel accepts a file: URL as the command', async () => {
    const { channel, exited } = spawnChannel<string, string>(pathToFileURL(process.execPath), [
      echoChild.pathname,
    ]);
    try {
      await channel.send('hi');
      expect(await channel.recv({ timeout: 30_000 })).toBe('hi');
    } finally {
      await channel.close();
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('a missing module is ERR_NOT_FOUND that names the resolved path, not a closed channel', () => {
    // before: the child started, node failed to load the module, and recv saw ERR_CLOSED
    let error: unknown;
    try {
      forkChannel('./no-such-worker.mjs', [], { cwd: tmpdir() });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ name: 'IpcError', code: 'ERR_NOT_FOUND' });
    expect((error as Error).message).toContain(`${tmpdir()}/no-such-worker.mjs`);
    expect((error as Error).message).toContain('import.meta.url');
    expect(() => forkChannel(new URL('./no-such-worker.mjs', echoChild))).toThrow(
      expect.objectContaining({ code: 'ERR_NOT_FOUND' }),
    );
  });

  it('rejects a URL that is not a file: URL with ERR_INVALID_ARGUMENT', () => {
    expect(() => forkChannel(new URL('https://example.com/worker.mjs'))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => spawnChannel(new URL('data:text/plain,x'))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => forkChannel('')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
