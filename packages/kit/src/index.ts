/**
 * The toolkit for writing an @ipc transport — what pipe, fifo, socket, shm, file and mq are built
 * from, public and documented so that a transport written outside this repository is built the
 * same way: a channel over any Node byte stream (`streamChannel`) and its two halves — the receive
 * pipeline (`StreamReceiver`, which can `attach` one readable after another: a FIFO's writer
 * sessions, a socket's reconnects) and the send side (`FrameSender`, `StreamSender`) — their pieces
 * (`Inbox`, `receiveInto`, `feedDecoder`, the send gate, a deque), the one loader of a package's
 * Node-API addon (`addonLoader`), one process identity (`isProcessAlive`: a zombie is dead), and
 * one reconnect policy (`reconnectPolicy`, `reconnectDelay`: back-off with jitter). `@ipc/core`
 * holds the contract these implement.
 *
 * @example
 * ```ts
 * import { streamChannel } from '@ipc/kit';
 * import { connect } from 'node:net';
 *
 * await using ch = streamChannel<{ n: number }>(connect('/tmp/app.sock'), { codec: 'json' });
 * await ch.send({ n: 1 });
 * for await (const reply of ch) console.log(reply.n);
 * ```
 *
 * @packageDocumentation
 */
export { StreamChannel, streamChannel, streamReceiver, streamSender } from './stream/stream-channel.js';
export {
  checkStreamChannelOptions,
  splitStreamChannelOptions,
  type StreamChannelOptions,
} from './stream/stream-channel-options.js';
export { StreamReceiver, type StreamReceiverOptions } from './stream/stream-receiver.js';
export { StreamSender } from './stream/stream-sender.js';
export { FrameSender } from './stream/frame-sender.js';
export { feedDecoder } from './stream/direct-reads.js';
export {
  bufferTooSmall,
  bytesOnly,
  offerToDecoder,
  receiveInto,
  recvIntoTarget,
} from './stream/receive-into.js';
export { Deque } from './deque.js';
export { Inbox, type InboxOptions } from './inbox.js';
export { SendGate } from './send-gate.js';
export { addonLoader, loadAddon, type AddonLoaderOptions, type LoadAddonOptions } from './load-addon.js';
export {
  formatIdentity,
  isProcessAlive,
  parseIdentity,
  processStartTime,
  selfIdentity,
  selfStartTime,
  type ProcessIdentity,
} from './process-identity.js';
export {
  RECONNECT_DEFAULTS,
  reconnectDelay,
  reconnectPolicy,
  type ReconnectOptions,
  type ReconnectPolicy,
  type ReconnectPolicySettings,
} from './reconnect-policy.js';
