import { once } from 'node:events';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { forkChannel, spawnChannel } from '@ipc/pipe';

const fixture = (name: string): string => join(__dirname, 'fixtures', name);

/** Resolves with the first line the stream prints. */
async function firstLine(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    const nl = text.indexOf('\n');
    if (nl !== -1) return text.slice(0, nl);
  }
  return text;
}

describe('spawnChannel / forkChannel when the child dies or exits', () => {
  it('fails the channel with ERR_PEER_GONE when the child is SIGKILLed in the middle of a 16 MiB message', async () => {
    const { child, channel, exited } = forkChannel(fixture('half-frame-child.mjs'), [], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const receiving = expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    expect(await firstLine(child.stdout as Readable)).toBe('half');
    child.kill('SIGKILL');
    // No timing assertion: this must settle (Jest's timeout bounds it), and with ERR_PEER_GONE.
    await receiving;
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    await channel.close();
  });

  it('fails with ERR_PEER_GONE when the child is killed between messages, and sends then fail', async () => {
    const { child, channel, exited } = forkChannel(fixture('echo-child.mjs'));
    await channel.send({ n: 1 });
    expect(await channel.recv()).toEqual({ n: 1 });
    child.kill('SIGKILL');
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    let failure: unknown;
    for (let i = 0; i < 100_000 && failure === undefined; i++) {
      await channel.send(Buffer.alloc(1024)).catch((err: unknown) => (failure = err));
    }
    expect(isIpcError(failure, 'ERR_PEER_GONE')).toBe(true);
    await channel.close();
  });

  it('fails a send of 16 MiB to a child that is SIGKILLed before reading it with ERR_PEER_GONE', async () => {
    const { child, channel, exited } = spawnChannel(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await channel.send(Buffer.alloc(16 * 1024 * 1024, 1));
    child.kill('SIGKILL');
    await exited;
    let failure: unknown;
    for (let i = 0; i < 100_000 && failure === undefined; i++) {
      await channel.send(1).catch((err: unknown) => (failure = err));
      await new Promise((r) => setImmediate(r));
    }
    expect(isIpcError(failure, 'ERR_PEER_GONE')).toBe(true);
    await channel.close();
  });

  it('reports the exit code of a child that exits by itself', async () => {
    const { channel, exited } = forkChannel(fixture('echo-child.mjs'), [], {
      env: { ...process.env, EXIT_CODE: '3' },
    });
    await channel.send('bye');
    expect(await channel.recv()).toBe('bye');
    await channel.close();
    expect(await exited).toEqual({ code: 3, signal: null });
  });

  it('kills the child when the spawn signal aborts, and the channel ends', async () => {
    const controller = new AbortController();
    const { channel, exited } = spawnChannel(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      signal: controller.signal,
    });
    const receiving = expect(channel.recv()).rejects.toMatchObject({
      code: expect.stringMatching(/ERR_CLOSED|ERR_PEER_GONE/),
    });
    controller.abort();
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    await receiving;
    await channel.close();
  });

  it('rejects exited and fails the channel with ERR_NOT_FOUND for a command that does not exist', async () => {
    const { channel, exited } = spawnChannel('ipc-no-such-command-here', []);
    await expect(exited).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(channel.send(1)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await channel.close();
  });

  it('leaves stdin, stdout and stderr to the program', async () => {
    const { child, channel, exited } = spawnChannel(
      process.execPath,
      ['-e', 'process.stdin.pipe(process.stdout); process.stderr.write("err\\n")'],
      { stdio: 'pipe' },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.stdin?.end('through stdin\n');
    await once(child, 'close');
    expect(Buffer.concat(out).toString()).toBe('through stdin\n');
    expect(Buffer.concat(err).toString()).toBe('err\n');
    expect(await exited).toEqual({ code: 0, signal: null });
    await channel.close();
  });

  it('rejects bad options with ERR_INVALID_ARGUMENT before starting anything', () => {
    expect(() => spawnChannel('true', [], { fd: 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => spawnChannel('true', [], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => spawnChannel('true', [], { codec: 'nope' as 'json' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => spawnChannel('true', [], { maxFrameBytes: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => spawnChannel('', [])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('uses another descriptor when asked (fd 5), found by parentChannel through IPC_PIPE_FD', async () => {
    const { channel, exited } = forkChannel(fixture('echo-child.mjs'), [], {
      fd: 5,
      codec: 'json',
      env: { ...process.env, IPC_CODEC: 'json' },
    });
    await channel.send({ via: 5 });
    expect(await channel.recv()).toEqual({ via: 5 });
    await channel.close();
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
