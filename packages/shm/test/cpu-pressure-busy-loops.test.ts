import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { afterEach, expect, test } from '@jest/globals';
import { cpuOversubscribed } from '../src/cpu-pressure.js';

const loops: ChildProcess[] = [];

afterEach(async () => {
  const exits = loops.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => once(c, 'exit'));
  for (const c of loops) c.kill('SIGKILL');
  await Promise.all(exits);
  loops.length = 0;
});

// Real busy processes, more than this machine has CPUs: the waiters' spin phase must see it (and so
// sleep at once). Polls for a bounded time; never asserts how long it took.
test('with more busy loops than CPUs running, the machine reads as oversubscribed', async () => {
  const count = availableParallelism() + 2;
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['-e', "process.stdout.write('spinning\\n'); for (;;) {}"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    loops.push(child);
    await once(child.stdout!, 'data');
  }
  let seen = false;
  const deadline = Date.now() + 10_000;
  while (!seen && Date.now() < deadline) {
    seen = cpuOversubscribed();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(seen).toBe(true);
});
