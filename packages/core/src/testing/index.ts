/**
 * The conformance suite that every @ipc transport runs (Jest), and small helpers for transport tests.
 *
 * @packageDocumentation
 */
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
export { childEchoPeer } from './child-echo-peer.js';
export { tempDir, uniqueName } from './temp-path.js';
export {
  PYTHON_ECHO_PEER,
  pythonEchoPeerArgs,
  type PythonPeerCodec,
  type PythonPeerConnection,
} from './python-echo-peer.js';
export { describePythonPeerConformance, type PythonPeerFixture } from './python-peer-conformance.js';
