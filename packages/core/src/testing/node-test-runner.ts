import { asyncBody } from './runner-adapter-helpers.js';
import type { TestRunner } from './test-runner.js';

/** The part of `node:test` that {@link nodeTestRunner} uses. */
export interface NodeTestApi {
  /** `node:test`'s `describe`. */
  describe: (name: string, body: () => void) => unknown;
  /** `node:test`'s `it`: name, options (`timeout`), body. */
  it: (name: string, options: { timeout?: number }, body: () => Promise<void>) => unknown;
  /** `node:test`'s `before` (once before the suite's tests). */
  before?: (body: () => Promise<void>) => unknown;
  /** `node:test`'s `after`. */
  after?: (body: () => Promise<void>) => unknown;
  /** `node:test`'s `beforeEach`. */
  beforeEach?: (body: () => Promise<void>) => unknown;
  /** `node:test`'s `afterEach`. */
  afterEach?: (body: () => Promise<void>) => unknown;
}

/** Options of {@link nodeTestRunner}. */
export interface NodeTestRunnerOptions {
  /**
   * Milliseconds before a test that asks for no timeout of its own fails (default: none, as in
   * `node:test`, where a hung test waits forever).
   */
  timeout?: number;
}

/**
 * The {@link TestRunner} for Node's built-in test runner (`node --test`). Without an argument it takes
 * `node:test` from `process.getBuiltinModule`. `options.timeout` gives every test a timeout.
 *
 * @example
 * ```js
 * // my-transport.test.mjs, run with `node --test`
 * import { describeChannelConformance, nodeTestRunner } from '@ipc/core/testing';
 * describeChannelConformance('my transport', fixture, nodeTestRunner(undefined, { timeout: 60_000 }));
 * ```
 */
export function nodeTestRunner(api?: NodeTestApi, options: NodeTestRunnerOptions = {}): TestRunner {
  const t: NodeTestApi = api ?? process.getBuiltinModule('node:test');
  const runner: TestRunner = {
    describe: (name, body) => {
      void t.describe(name, body);
    },
    it: (name, body, settings) => {
      const timeout = settings?.timeout ?? options.timeout;
      void t.it(name, timeout === undefined ? {} : { timeout }, asyncBody(body));
    },
  };
  const { before, after, beforeEach, afterEach } = t;
  if (before) runner.beforeAll = (body) => void before(asyncBody(body));
  if (after) runner.afterAll = (body) => void after(asyncBody(body));
  if (beforeEach) runner.beforeEach = (body) => void beforeEach(asyncBody(body));
  if (afterEach) runner.afterEach = (body) => void afterEach(asyncBody(body));
  return runner;
}
