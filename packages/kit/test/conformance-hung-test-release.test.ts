import { expect, it } from '@jest/globals';
import type { Channel } from '@ipc/core';
import { describeChannelConformance, type TestBody, type TestRunner } from '@ipc/core/testing';
import { unixSocketPair } from './fixtures/socket-pair.js';

// A conformance test that hangs (a transport bug) is failed by the runner's timeout and never reaches
// its own `finally`: the suite's after-test hook must still close its channels and run the fixture's
// cleanup, or one hang leaves sockets, folders and processes behind for the rest of the run.
it('closes the channels of a conformance test that hung and cleans up after it', async () => {
  const tests = new Map<string, TestBody>();
  const afterEach: TestBody[] = [];
  const runner: TestRunner = {
    describe: (_name, body) => body(),
    it: (name, body) => tests.set(name, body),
    afterEach: (body) => afterEach.push(body),
  };
  const channels: Channel<unknown>[] = [];
  let cleanups = 0;
  describeChannelConformance(
    'a and b on two different connections: b never gets what a sends',
    {
      pair: async () => {
        const one = await unixSocketPair({});
        const two = await unixSocketPair({});
        channels.push(one.a, two.b);
        const cleanup = async (): Promise<void> => {
          await Promise.allSettled([one.b.close(), two.a.close()]);
          await one.cleanup?.();
          await two.cleanup?.();
          cleanups++;
        };
        return { a: one.a, b: two.b, cleanup };
      },
    },
    runner,
  );
  expect(afterEach).toHaveLength(1);
  const body = tests.get('carries messages both ways at once') as TestBody;
  const hung = await Promise.race([
    Promise.resolve(body()).then(
      () => false,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 500)),
  ]);
  expect(hung).toBe(true); // what a runner's timeout ends; the test's own finally never runs
  expect(cleanups).toBe(0);
  for (const hook of afterEach) await hook();
  expect(cleanups).toBe(1);
  for (const channel of channels) {
    await expect(channel.send('after')).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  }
});
