import { hooks, asyncBody, injectedGlobals } from './runner-adapter-helpers.js';
import type { TestRunner } from './test-runner.js';

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
