import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { mapFile } from '@ipc/shm';
import { run } from './helpers.js';

describe('mapFile', () => {
  it('maps a file, grows it to size, and flushes writes that Python mmap reads', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'data.bin');
      {
        using file = mapFile(path, { size: 8192, create: true });
        expect(file.size).toBe(8192);
        new Uint8Array(file.buffer).set([1, 2, 3], 4096);
        file.flush();
        file.flush(4096, 3);
        expect(() => file.flush(8000, 500)).toThrow(
          expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
        );
      }
      expect([...readFileSync(path).subarray(4096, 4099)]).toEqual([1, 2, 3]);
      const out = await run('python3', [
        '-c',
        `import mmap\nf = open(${JSON.stringify(path)}, 'r+b')\nm = mmap.mmap(f.fileno(), 0)\nprint(list(m[4096:4099]))\nm[0:2] = b'OK'\nm.flush()`,
      ]);
      expect(out.trim()).toBe('[1, 2, 3]');
      using ro = mapFile(path, { readonly: true });
      expect(Buffer.from(ro.buffer, 0, 2).toString()).toBe('OK');
      expect(ro.size).toBe(8192);
    } finally {
      dir.remove();
    }
  });

  it('fails with ERR_NOT_FOUND for a missing file and ERR_INVALID_ARGUMENT for an empty one', () => {
    const dir = tempDir();
    try {
      expect(() => mapFile(join(dir.path, 'missing'))).toThrow(
        expect.objectContaining({ code: 'ERR_NOT_FOUND' }),
      );
      writeFileSync(join(dir.path, 'empty'), '');
      expect(() => mapFile(join(dir.path, 'empty'))).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    } finally {
      dir.remove();
    }
  });
});
