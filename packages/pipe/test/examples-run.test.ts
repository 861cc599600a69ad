import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const examples = join(__dirname, '..', '..', '..', 'examples');

describe('the @ipc/pipe examples run', () => {
  it('examples/python-worker: JSON jobs, then 100 MiB to Python and 100 MiB back', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'python-worker', 'index.mjs')], {
      maxBuffer: 1024 * 1024,
    });
    expect(stdout).toBe(
      [
        '{ n: 2, square: 4 }',
        '{ n: 3, square: 9 }',
        '{ n: 4, square: 16 }',
        'python received 100 MiB (aba…bab)',
        'node received 100 MiB (pypy…)',
        'worker exited: { code: 0, signal: null }',
        '',
      ].join('\n'),
    );
  });

  it('examples/pipe-fork: forkChannel and parentChannel', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'pipe-fork', 'index.mjs')]);
    expect(stdout).toBe('7² = 49\n12² = 144\nchild exited: { code: 0, signal: null }\n');
  });
});
