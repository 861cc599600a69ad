/** A test body: the suites' bodies are async and assert with `node:assert/strict` (they throw on failure). */
export type TestBody = () => Promise<void> | void;

/** Per-test settings a suite may ask the runner for. */
export interface TestSettings {
  /** Milliseconds before the runner fails the test (the runner's default when undefined). */
  timeout?: number;
}

/**
 * The test functions a conformance suite registers its tests with, taken from the caller so that
 * the suites depend on no test runner. Get one from {@link jestRunner}, {@link vitestRunner} or
 * {@link nodeTestRunner}, or write your own for another runner (Mocha, Ava…): the suites only call
 * these functions, and assert with `node:assert/strict`, so no runner's `expect` is needed.
 */
export interface TestRunner {
  /** Groups tests under `name`; `body` registers them synchronously. */
  describe: (name: string, body: () => void) => void;
  /** Registers a test; it passes when `body` resolves and fails when it throws or rejects. */
  it: (name: string, body: TestBody, settings?: TestSettings) => void;
  /** Runs `body` once before the tests of the enclosing `describe`. */
  beforeAll?: (body: TestBody) => void;
  /** Runs `body` once after the tests of the enclosing `describe`. */
  afterAll?: (body: TestBody) => void;
  /** Runs `body` before each test of the enclosing `describe`. */
  beforeEach?: (body: TestBody) => void;
  /** Runs `body` after each test of the enclosing `describe`. */
  afterEach?: (body: TestBody) => void;
}
