import {
  resolveCodec,
  resolveFraming,
  type CodecOption,
  type FramingOption,
  type IpcError,
  type MessageValidator,
} from '@ipc/core';

/** Options of `streamChannel`, `streamSender` and `streamReceiver`, and of the transports built on them. */
export interface StreamChannelOptions<In = unknown> {
  /** The codec, or a built-in codec's name. Default `'msgpack'`. */
  codec?: CodecOption<any> | undefined;
  /** `'length-prefixed'` (default; Python `multiprocessing.connection` compatible) or `'lines'`. */
  framing?: FramingOption | undefined;
  /** The largest incoming frame in bytes; a bigger one fails the channel with `ERR_FRAME_TOO_LARGE`. Default 64 MiB. */
  maxFrameBytes?: number | undefined;
  /** Checks each incoming message; see {@link MessageValidator}. */
  validate?: MessageValidator<In> | undefined;
  /** Decoded messages buffered before reading pauses (default 1024). */
  highWaterMessages?: number | undefined;
  /** Decoded bytes buffered before reading pauses (default 16 MiB). */
  highWaterBytes?: number | undefined;
  /**
   * @ipc-to-@ipc only: `close()` ends the stream with the close marker, so that the receiver can
   * tell it from a crash (see `CLOSE_MARKER_BYTES`). Never set it towards a peer that is not @ipc
   * (Python would receive an empty message); the transports set it where both ends are known to be
   * @ipc. Length-prefixed framing only. Default false.
   */
  sendCloseMarker?: boolean | undefined;
  /** See `StreamReceiverOptions.expectCloseMarker` (length-prefixed framing only). Default false. */
  expectCloseMarker?: boolean | undefined;
  /** See `StreamReceiverOptions.endCheck`. */
  endCheck?: (() => Promise<IpcError | undefined>) | undefined;
}

/** Every name of {@link StreamChannelOptions} (the type makes sure none is missing). */
const OPTION_NAMES: Record<keyof StreamChannelOptions, true> = {
  codec: true,
  framing: true,
  maxFrameBytes: true,
  validate: true,
  highWaterMessages: true,
  highWaterBytes: true,
  sendCloseMarker: true,
  expectCloseMarker: true,
  endCheck: true,
};

/**
 * Resolves the codec, the framing and the frame limit of `options`, so that bad ones throw
 * (`ERR_INVALID_ARGUMENT`) before a transport starts anything (a process, a connection).
 */
export function checkStreamChannelOptions(options: StreamChannelOptions<any>): void {
  resolveCodec(options.codec);
  resolveFraming(options.framing).createDecoder({ maxFrameBytes: options.maxFrameBytes });
}

/**
 * Splits the options of a transport that extend {@link StreamChannelOptions} with others (those of
 * `child_process.spawn`, say) into the channel's and the rest, after checking the channel's (see
 * {@link checkStreamChannelOptions}).
 *
 * @example
 * ```ts
 * const { channel, rest } = splitStreamChannelOptions(options); // rest: the spawn options
 * ```
 */
export function splitStreamChannelOptions<In, O extends StreamChannelOptions<In>>(
  options: O,
): { channel: StreamChannelOptions<In>; rest: Omit<O, keyof StreamChannelOptions<In>> } {
  const channel: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (Object.hasOwn(OPTION_NAMES, name)) channel[name] = value;
    else rest[name] = value;
  }
  checkStreamChannelOptions(channel);
  return { channel, rest: rest as Omit<O, keyof StreamChannelOptions<In>> };
}
