import { asyncBody, hooks, injectedGlobals } from './runner-adapter-helpers.js';
import type { TestRunner } from './test-runner.js';

/** The part of Vitest's API (`import * as vitest from 'vitest'`) that {@link vitestRunner} uses. */
export interface VitestApi {
  /** Vitest's `describe`. */
  describe: (name: string, body: () => void) => void;
  /** Vitest's `it` (or `test`): name, body, timeout in milliseconds. */
  it: (name: string, body: () => Promise<void>, timeout?: number) => void;
  /** Vitest's `beforeAll`. */
  beforeAll?: (body: () => Promise<void>) => void;
  /** Vitest's `afterAll`. */
  afterAll?: (body: () => Promise<void>) => void;
  /** Vitest's `beforeEach`. */
  beforeEach?: (body: () => Promise<void>) => void;
  /** Vitest's `afterEach`. */
  afterEach?: (body: () => Promise<void>) => void;
}

/**
 * The {@link TestRunner} for Vitest. Pass Vitest's functions (its module namespace), or nothing under
 * `globals: true`; `vitest` is never imported by this package.
 *
 * @example
 * ```ts
 * import * as vitest from 'vitest';
 * import { describeChannelConformance, vitestRunner } from '@ipc/core/testing';
 * describeChannelConformance('my transport', fixture, vitestRunner(vitest));
 * ```
 */
export function vitestRunner(api?: VitestApi): TestRunner {
  const vitest = api ?? injectedGlobals<VitestApi>('vitestRunner', ['describe', 'it']);
  return {
    describe: (name, body) => vitest.describe(name, body),
    it: (name, body, settings) => vitest.it(name, asyncBody(body), settings?.timeout),
    ...hooks(vitest),
  };
}
