/**
 * The @ipc channel contract that every transport speaks: the channel and delivery interfaces,
 * codecs, length-prefixed framing (compatible with Python's `multiprocessing.connection`), typed
 * errors, validation, and locks over shared memory. It does no I/O: the transports do, built
 * with `@ipc/kit`; the conformance suites are in `@ipc/core/testing`.
 *
 * @example
 * ```ts
 * import { msgpack, IpcError } from '@ipc/core';
 *
 * const bytes = msgpack.encode({ n: 1 });
 * console.log(msgpack.decode(bytes)); // { n: 1 }
 * console.log(new IpcError('ERR_TIMEOUT', 'no reply').code); // 'ERR_TIMEOUT'
 * ```
 *
 * @packageDocumentation
 */
export { IpcError, isIpcError, toIpcError, type IpcErrorCode, type IpcErrorOptions } from './errors.js';
export {
  abortError,
  checkMs,
  checkTimeout,
  checkWaitOptions,
  throwIfAborted,
  waitWith,
  type WaitOptions,
} from './abort.js';
export type { Channel, Receiver, RecvOptions, Sender, SendOptions } from './channel.js';
export { nackDelay, type AckableReceiver, type Delivery, type NackOptions } from './delivery.js';
export { receiveUntilClosed } from './receive-until-closed.js';
export type { Codec } from './codec.js';
export { DuplexChannel } from './duplex-channel.js';
export { asBuffer } from './codecs/as-buffer.js';
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
export type { WaitResult, WaitStrategy } from './locks/wait-strategy.js';
export { atomicsWaitStrategy, type AtomicsWaitStrategyOptions } from './locks/atomics-wait-strategy.js';
export type { LockOptions } from './locks/lock-memory.js';
export { Mutex, type MutexGuard } from './locks/mutex.js';
export { Semaphore } from './locks/semaphore.js';
export { Event } from './locks/event.js';
export { Barrier } from './locks/barrier.js';
