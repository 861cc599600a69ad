import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const examples = join(__dirname, '..', '..', '..', 'examples');

describe('the examples run', () => {
  it('examples/signal-shutdown: reload on SIGHUP, ordered cleanups and the worker stopped on SIGTERM, exit 143', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'signal-shutdown', 'index.mjs')]);
    expect(stdout.trim().split('\n')).toEqual([
      'service: SIGHUP, reloading config',
      'service: reload loop ended (ERR_ABORTED)',
      'service: stopped accepting requests',
      'service: worker ended by SIGTERM',
      'service: closing the database',
      "service exited with 143 (128 + SIGTERM's 15)",
    ]);
  });

  it('examples/signal-doorbell: every order is read, however many rings were merged', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'signal-doorbell', 'index.mjs')]);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^consumer: read 100 orders after ([1-9]|1[01]) wake-up\(s\)$/);
    expect(lines[1]).toBe('producer: wrote 100 orders in 10 batches; consumer exited with 0');
  });
});
