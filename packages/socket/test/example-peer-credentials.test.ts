import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

describe('examples/peer-credentials.mjs', () => {
  it('runs: the server sees its child client by pid and uid, the client sees its parent server', async () => {
    const script = join(__dirname, '..', 'examples', 'peer-credentials.mjs');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script], { timeout: 30_000 });
    expect(stderr).toBe('');
    const said = /client: the server says I am pid (\d+), uid (\d+), gid (\d+)/.exec(stdout);
    const exited = /server: the client \(pid (\d+)\) exited with 0/.exec(stdout);
    expect(said).not.toBeNull();
    expect(exited).not.toBeNull();
    expect(said![1]).toBe(exited![1]);
    expect(Number(said![2])).toBe(process.getuid!());
    expect(Number(said![3])).toBe(process.getgid!());
    expect(stdout).toContain('(my parent: true)');
  });
});
