import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createFifo, DEFAULT_PIPE_SIZE, openFifo } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();
const run = promisify(execFile);

/** The FIFO's kernel buffer as another process sees it (Python: fcntl F_GETPIPE_SZ on its own descriptor). */
async function kernelPipeSize(path: string): Promise<number> {
  const code = [
    'import fcntl, os, sys',
    'fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)',
    'print(fcntl.fcntl(fd, 1032))', // F_GETPIPE_SZ
    'os.close(fd)',
  ].join('\n');
  const { stdout } = await run('python3', ['-c', code, path]);
  return Number(stdout.trim());
}

describe("a FIFO's kernel buffer (F_SETPIPE_SZ)", () => {
  it('is grown to 1 MiB by a reader (default), and kept at the kernel’s size with pipeSize: 0', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('big'));
    const rx = await openFifo(fifo.path, 'r');
    try {
      expect(DEFAULT_PIPE_SIZE).toBe(1 << 20);
      expect(await kernelPipeSize(fifo.path)).toBe(DEFAULT_PIPE_SIZE);
    } finally {
      await rx.close();
    }
    await using plain = await createFifo(dir.fifo('plain'));
    const rx2 = await openFifo(plain.path, 'r', { pipeSize: 0 });
    try {
      expect(await kernelPipeSize(plain.path)).toBe(64 * 1024);
    } finally {
      await rx2.close();
    }
    dir.remove();
  });

  it('is grown by a writer too, to the size asked (rounded by the kernel)', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('w'));
    const rx = await openFifo(fifo.path, 'r', { pipeSize: 0 });
    const tx = await openFifo(fifo.path, 'w', { pipeSize: 256 * 1024 });
    try {
      expect(await kernelPipeSize(fifo.path)).toBe(256 * 1024);
    } finally {
      await tx.close();
      await rx.close();
    }
    dir.remove();
  });

  it('refuses a bad pipeSize with ERR_INVALID_ARGUMENT', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('bad'));
    for (const pipeSize of [-1, 1.5, Number.NaN, '1' as never]) {
      await expect(openFifo(fifo.path, 'r', { pipeSize })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
    }
    dir.remove();
  });
});
