import { IpcError } from '../errors.js';
import type { TestBody, TestRunner } from './test-runner.js';

/** The hooks of a Jest- or Vitest-shaped API, each optional. */
interface HookedApi {
  beforeAll?: (body: () => Promise<void>) => void;
  afterAll?: (body: () => Promise<void>) => void;
  beforeEach?: (body: () => Promise<void>) => void;
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

/** The hooks of a Jest-shaped API (Jest and Vitest name them alike), each only when it is there. */
export function hooks(api: HookedApi): Omit<TestRunner, 'describe' | 'it'> {
  const runner: Omit<TestRunner, 'describe' | 'it'> = {};
  for (const name of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const) {
    const hook = api[name];
    if (hook) runner[name] = (body) => hook(asyncBody(body));
  }
  return runner;
}
