import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';

// Proves nodeTestRunner: `node --test` runs the channel and recvInto suites (fixtures/node-test-conformance.mjs,
// importing the built @ipc/core) over a real Unix socket and echo child, and every test passes.
it('runs the conformance suites under node:test, all passing', async () => {
  const child = spawn(
    process.execPath,
    ['--test', '--test-reporter=tap', join(__dirname, 'fixtures', 'node-test-conformance.mjs')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let tap = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (tap += chunk));
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    const count = (name: string): number =>
      Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? NaN);
    expect({ code, fail: count('fail'), cancelled: count('cancelled') }).toEqual({
      code: 0,
      fail: 0,
      cancelled: 0,
    });
    expect(count('pass')).toBeGreaterThanOrEqual(20); // 12 channel + 10 recvInto tests
    expect(count('tests')).toBe(count('pass'));
  } finally {
    child.kill('SIGKILL');
  }
}, 300_000);
