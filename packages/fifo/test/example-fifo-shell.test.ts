import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);

describe('the @ipc/fifo example runs', () => {
  it('examples/fifo-shell: echo into a FIFO, cat out of one, and nothing left behind', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('fifo-example-')));
    const { stdout } = await run(process.execPath, [
      join(__dirname, '..', '..', '..', 'examples', 'fifo-shell', 'index.mjs'),
    ]);
    expect(stdout).toBe('from echo: { a: 1 }\ncat printed:\n{"hello":"shell"}\n[1,2,3]\n');
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('fifo-example-') && !before.has(n));
    expect(after).toEqual([]);
  });
});
