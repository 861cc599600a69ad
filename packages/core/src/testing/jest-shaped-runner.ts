import { asyncBody, injectedGlobals } from './runner-adapter-helpers.js';
import type { TestRunner } from './test-runner.js';

/**
 * The part of a Jest-shaped test API that {@link jestRunner} and {@link vitestRunner} use: Jest's
 * (`@jest/globals`, or the globals Jest injects) and Vitest's (`import * as vitest from 'vitest'`)
 * name and call these alike.
 */
export interface JestApi {
  /** `describe`. */
  describe: (name: string, body: () => void) => void;
  /** `it` (or `test`): name, body, timeout in milliseconds. */
  it: (name: string, body: () => Promise<void>, timeout?: number) => void;
  /** `beforeAll`. */
  beforeAll?: (body: () => Promise<void>) => void;
  /** `afterAll`. */
  afterAll?: (body: () => Promise<void>) => void;
  /** `beforeEach`. */
  beforeEach?: (body: () => Promise<void>) => void;
  /** `afterEach`. */
  afterEach?: (body: () => Promise<void>) => void;
}

/** The part of Vitest's API that {@link vitestRunner} uses: the same shape as Jest's ({@link JestApi}). */
export type VitestApi = JestApi;

/** The one adapter of a Jest-shaped API; `runner` names the caller in the error for missing globals. */
function jestShapedRunner(runner: string, api: JestApi | undefined): TestRunner {
  const t = api ?? injectedGlobals<JestApi>(runner, ['describe', 'it']);
  const result: TestRunner = {
    describe: (name, body) => t.describe(name, body),
    it: (name, body, settings) => t.it(name, asyncBody(body), settings?.timeout),
  };
  for (const name of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const) {
    const hook = t[name];
    if (hook) result[name] = (body) => hook(asyncBody(body));
  }
  return result;
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
  return jestShapedRunner('jestRunner', api);
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
  return jestShapedRunner('vitestRunner', api);
}
