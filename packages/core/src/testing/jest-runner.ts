import { IpcError } from '../errors.js';
import type { TestBody, TestRunner } from './test-runner.js';

/** The part of Jest's API (`@jest/globals`, or the globals Jest injects) that {@link jestRunner} uses. */
export interface JestApi {
  /** Jest's `describe`. */
  describe: (name: string, body: () => void) => void;
  /** Jest's `it` (or `test`): name, body, timeout in milliseconds. */
  it: (name: string, body: () => Promise<void>, timeout?: number) => void;
  /** Jest's `beforeAll`. */
  beforeAll?: (body: () => Promise<void>) => void;
  /** Jest's `afterAll`. */
  afterAll?: (body: () => Promise<void>) => void;
  /** Jest's `beforeEach`. */
  beforeEach?: (body: () => Promise<void>) => void;
  /** Jest's `afterEach`. */
  afterEach?: (body: () => Promise<void>) => void;
}

/** Wraps a body so that the runner always gets a promise (a sync body is awaited the same way). */
export function asyncBody(body: TestBody): () => Promise<void> {
  return async () => {
    await body();
  };
}

/** The test functions Jest injects as globals (its default, `injectGlobals: true`), or a typed error. */
export function injectedGlobals<T>(runner: string, names: readonly string[]): T {
  const scope = globalThis as Record<string, unknown>;
  const missing = names.filter((name) => typeof scope[name] !== 'function');
  if (missing.length > 0) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `${runner}: no global ${missing.join(', ')}: pass the runner's functions (for example its module namespace) instead`,
    );
  }
  return scope as T;
}

/**
 * The {@link TestRunner} for Jest. Pass `@jest/globals` (its module namespace or the functions), or
 * nothing to use the globals Jest injects; `@jest/globals` is never imported by this package.
 *
 * @example
 * ```ts
 * import * as jestGlobals from '@jest/globals';
 * import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
 * describeChannelConformance('my transport', fixture, jestRunner(jestGlobals));
 * ```
 */
export function jestRunner(api?: JestApi): TestRunner {
  const jest = api ?? injectedGlobals<JestApi>('jestRunner', ['describe', 'it']);
  return {
    describe: (name, body) => jest.describe(name, body),
    it: (name, body, settings) => jest.it(name, asyncBody(body), settings?.timeout),
    ...hooks(jest),
  };
}

/** The hooks of a Jest-shaped API (Jest and Vitest name them alike), each only when it is there. */
export function hooks(api: JestApi): Omit<TestRunner, 'describe' | 'it'> {
  const runner: Omit<TestRunner, 'describe' | 'it'> = {};
  for (const name of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const) {
    const hook = api[name];
    if (hook) runner[name] = (body) => hook(asyncBody(body));
  }
  return runner;
}
