import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  describeRecvIntoConformance,
  vitestRunner,
  type RecvIntoPair,
  type VitestApi,
} from '@ipc/core/testing';
import { unixSocketPair } from './fixtures/socket-pair.js';

// Vitest is not installed here (its install pulls vite, rollup and esbuild): this shim has Vitest's API
// shape — describe(name, fn), it(name, fn, timeout), beforeAll(fn)… — records every call vitestRunner
// makes, and hands them to Jest, so the suite's tests really run, through the Vitest adapter.
const calls: string[] = [];
const shim: VitestApi = {
  describe: (name, body) => {
    calls.push(`describe ${name}`);
    describe(name, body);
  },
  it: (name, body, timeout) => {
    expect(typeof body).toBe('function');
    calls.push(`it ${name} ${String(timeout)}`);
    it(name, body, timeout);
  },
  beforeAll: (body) => {
    calls.push('beforeAll');
    beforeAll(body);
  },
  afterAll: (body) => {
    calls.push('afterAll');
    afterAll(body);
  },
};

const runner = vitestRunner(shim);
let hooksRan = 0;
runner.describe('vitestRunner hooks', () => {
  runner.beforeAll?.(() => {
    hooksRan++;
  });
  runner.it('runs after beforeAll', () => expect(hooksRan).toBe(1), { timeout: 1234 });
});

describeRecvIntoConformance(
  'streamChannel over a Unix socket (through vitestRunner)',
  { pair: async ({ codec }) => (await unixSocketPair({ codec })) as RecvIntoPair, timeout: 60_000 },
  runner,
);

it('registered every test through the Vitest-shaped API, timeouts included', () => {
  expect(runner.beforeEach).toBeUndefined(); // the shim has none: the adapter leaves it out
  expect(calls).toContain('it runs after beforeAll 1234');
  const suiteTests = calls.filter((c) => c.startsWith('it ') && c.endsWith(' 60000'));
  expect(suiteTests.length).toBe(9);
  expect(calls.filter((c) => c.startsWith('describe '))).toHaveLength(2);
});
