/**
 * The conformance suites every @ipc transport runs — with any test runner: each suite takes a
 * {@link TestRunner} (`jestRunner()`, `vitestRunner(vitest)`, `nodeTestRunner()` or your own) and
 * asserts with `node:assert/strict` — and small helpers for transport tests.
 *
 * @packageDocumentation
 */
export type { TestBody, TestRunner, TestSettings } from './test-runner.js';
export { jestRunner, vitestRunner, type JestApi, type VitestApi } from './jest-shaped-runner.js';
export { nodeTestRunner, type NodeTestApi, type NodeTestRunnerOptions } from './node-test-runner.js';
export {
  describeChannelConformance,
  type ChannelPair,
  type ConformanceFixture,
  type EchoPeer,
} from './conformance.js';
export {
  describeDeliveryConformance,
  type DeliveryConformanceFixture,
  type DeliveryQueue,
  holdingConsumerProcess,
  type HoldingConsumer,
} from './delivery-conformance.js';
export {
  describeRecvIntoConformance,
  type RecvIntoChannel,
  type RecvIntoEchoPeer,
  type RecvIntoFixture,
  type RecvIntoPair,
} from './recv-into-conformance.js';
export { childEchoPeer } from './child-echo-peer.js';
export { tempDir, uniqueName } from './temp-path.js';
export { entriesStartingWith, entryStartingWith } from './dir-entries.js';
export {
  PYTHON_ECHO_PEER,
  pythonEchoPeerArgs,
  type PythonPeerCodec,
  type PythonPeerConnection,
} from './python-echo-peer.js';
export { describePythonPeerConformance, type PythonPeerFixture } from './python-peer-conformance.js';
