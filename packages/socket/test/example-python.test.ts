import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

describe('examples/socket-python', () => {
  it('runs: a Python stdlib client asks a Node server, a Node client asks a Python listener', async () => {
    const script = join(__dirname, '../../../examples/socket-python/index.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 });
    expect(stdout).toContain("python got {'square': 9}");
    expect(stdout).toContain("python got {'square': 16}");
    expect(stdout).toContain('python client exited with 0');
    expect(stdout).toContain("node got { upper: 'HELLO FROM NODE' } (auth: md5)");
  });
});
