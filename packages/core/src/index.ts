/**
 * The @ipc channel contract that every transport speaks: codecs, length-prefixed framing
 * (compatible with Python's `multiprocessing.connection`), a fast channel over any Node byte
 * stream, typed errors, and locks over shared memory.
 *
 * @example
 * ```ts
 * import { streamChannel } from '@ipc/core';
 * import { connect } from 'node:net';
 *
 * await using ch = streamChannel<{ n: number }>(connect('/tmp/app.sock'), { codec: 'json' });
 * await ch.send({ n: 1 });
 * for await (const reply of ch) console.log(reply.n);
 * ```
 *
 * @packageDocumentation
 */
export { IpcError, isIpcError, toIpcError, type IpcErrorCode, type IpcErrorOptions } from './errors.js';
export { abortError, checkTimeout, throwIfAborted, waitWith, type WaitOptions } from './abort.js';
export type { Channel, Receiver, RecvOptions, Sender, SendOptions } from './channel.js';
export { nackDelay, type AckableReceiver, type Delivery, type NackOptions } from './delivery.js';
export { receiveUntilClosed } from './receive-until-closed.js';
export type { Codec } from './codec.js';
export { DuplexChannel } from './duplex-channel.js';
export { createMsgpackCodec, msgpack, type MsgpackCodecOptions } from './codecs/msgpack.js';
export { json } from './codecs/json.js';
export { raw } from './codecs/raw.js';
export { structured } from './codecs/structured.js';
export { createPickleCodec, pickle, type PickleCodecOptions } from './codecs/pickle.js';
export { DEFAULT_PICKLE_PROTOCOL, type PickleProtocol } from './codecs/pickle-opcodes.js';
export { codecs, resolveCodec, type CodecOption } from './codecs/resolve-codec.js';
export {
  DEFAULT_MAX_FRAME_BYTES,
  type FrameDecoder,
  type FrameDecoderOptions,
  type Framing,
} from './framing/framing.js';
export {
  lengthHeader,
  lengthPrefixed,
  LengthPrefixedDecoder,
  writeLengthHeader,
} from './framing/length-prefixed.js';
export { LineDecoder, lines } from './framing/lines.js';
export { CLOSE_MARKER, CLOSE_MARKER_BYTES, OPEN_MARKER, OPEN_MARKER_BYTES } from './framing/close-marker.js';
export { resolveFraming, type FramingOption } from './framing/resolve-framing.js';
export {
  compileValidator,
  type MessageValidator,
  type StandardSchemaIssue,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from './validate.js';
export {
  StreamChannel,
  streamChannel,
  streamReceiver,
  streamSender,
  type StreamChannelOptions,
} from './stream/stream-channel.js';
export { StreamReceiver, type StreamReceiverOptions } from './stream/stream-receiver.js';
export { StreamSender } from './stream/stream-sender.js';
export type { WaitResult, WaitStrategy } from './locks/wait-strategy.js';
export { atomicsWaitStrategy, type AtomicsWaitStrategyOptions } from './locks/atomics-wait-strategy.js';
export type { LockOptions } from './locks/lock-memory.js';
export { Mutex, type MutexGuard } from './locks/mutex.js';
export { Semaphore } from './locks/semaphore.js';
export { Event } from './locks/event.js';
export { Barrier } from './locks/barrier.js';
