/**
 * The toolkit for writing an @ipc transport — what pipe, fifo, socket, shm, file and mq are built
 * from, public and documented so that a transport written outside this repository is built the
 * same way: a channel over any Node byte stream (`streamChannel`) and its two halves, the receive
 * pipeline's pieces (`Inbox`, `receiveInto`, `feedDecoder`), the send gate, a deque, and the one
 * loader of a package's Node-API addon. `@ipc/core` holds the contract these implement.
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
export {
  StreamChannel,
  streamChannel,
  streamReceiver,
  streamSender,
  type StreamChannelOptions,
} from './stream/stream-channel.js';
export { StreamReceiver, type StreamReceiverOptions } from './stream/stream-receiver.js';
export { StreamSender } from './stream/stream-sender.js';
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
