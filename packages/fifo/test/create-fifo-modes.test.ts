import { lstat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { createFifo, isFifo, removeFifo } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();

describe('createFifo and removeFifo', () => {
  it('makes an owner-only FIFO by default, and another mode on request', async () => {
    const dir = dirs.make();
    const a = await createFifo(dir.fifo('a'));
    const st = await lstat(a.path);
    expect(st.isFIFO()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    const b = await createFifo(dir.fifo('b'), { mode: 0o640 });
    expect((await lstat(b.path)).mode & 0o777).toBe(0o640);
    expect(await isFifo(b.path)).toBe(true);
    await a.remove();
    await b.remove();
    expect(existsSync(a.path) || existsSync(b.path)).toBe(false);
    dir.remove();
  });

  it('fails with ERR_EXISTS on an existing FIFO unless existOk, and always on a regular file', async () => {
    const dir = dirs.make();
    const fifo = await createFifo(dir.fifo('f'));
    await expect(createFifo(fifo.path)).rejects.toMatchObject({ code: 'ERR_EXISTS' });
    const again = await createFifo(fifo.path, { existOk: true });
    expect(again.path).toBe(fifo.path);
    await writeFile(dir.fifo('file'), 'keep me');
    await expect(createFifo(dir.fifo('file'))).rejects.toMatchObject({ code: 'ERR_EXISTS' });
    await expect(createFifo(dir.fifo('file'), { existOk: true })).rejects.toMatchObject({
      code: 'ERR_EXISTS',
    });
    // removeFifo never deletes what is not a FIFO.
    await expect(removeFifo(dir.fifo('file'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(existsSync(dir.fifo('file'))).toBe(true);
    await fifo.remove();
    dir.remove();
  });

  it('fails with ERR_NOT_FOUND in a missing folder and ERR_INVALID_ARGUMENT for a bad mode or path', async () => {
    const dir = dirs.make();
    await expect(createFifo(dir.fifo('no/such/folder/f'))).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(createFifo(dir.fifo('m'), { mode: 0o1777 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(createFifo('')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(createFifo(dir.fifo('a\0b'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    dir.remove();
  });

  it('removes the FIFO with await using, and removing twice is fine', async () => {
    const dir = dirs.make();
    const path = dir.fifo('scoped');
    {
      await using fifo = await createFifo(path);
      expect(await isFifo(fifo.path)).toBe(true);
    }
    expect(existsSync(path)).toBe(false);
    await removeFifo(path);
    dir.remove();
  });

  it('honours an aborted signal', async () => {
    const dir = dirs.make();
    await expect(createFifo(dir.fifo('x'), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    });
    expect(existsSync(dir.fifo('x'))).toBe(false);
    dir.remove();
  });
});
