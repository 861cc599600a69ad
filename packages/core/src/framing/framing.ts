import type { IpcError } from '../errors.js';

/** Splits a byte stream back into the frames a {@link Framing} wrote. */
export interface FrameDecoder {
  /**
   * Feeds one chunk (split anywhere). Returns the frames it completed, in order; a frame that lies
   * inside `chunk` is a view of it, not a copy. Throws `ERR_FRAME_TOO_LARGE` or `ERR_DECODE`; after a
   * throw the decoder is failed and throws again. A chunk holding whole frames and then a bad header
   * returns those frames, and {@link FrameDecoder.failed} is set: the next call throws it.
   */
  push(chunk: Uint8Array): Uint8Array[];
  /** Optional: the decoder's failure once it has failed (every later call throws it), else `undefined`. */
  readonly failed?: IpcError | undefined;
  /** True while part of a frame has been seen but not all of it. */
  readonly partial: boolean;
  /**
   * Ends the stream: returns a last frame where the framing allows one (an unterminated line),
   * throws `ERR_PEER_GONE` when the stream stopped in the middle of a frame.
   */
  end(): Uint8Array[];
  /**
   * Optional: lets the payload of the next frame to complete land in `target` (from its start) when it
   * fits, instead of in a buffer of the decoder's own; that frame is then returned as a view of
   * `target`. Only the next frame to complete may use it: the offer ends when any frame completes,
   * or when called with `undefined`. For `recvInto`.
   */
  receiveInto?(target: Uint8Array | undefined): void;
}

/** Options of a frame decoder. */
export interface FrameDecoderOptions {
  /** The largest frame accepted, in bytes; a bigger one fails with `ERR_FRAME_TOO_LARGE`. Default 64 MiB. */
  maxFrameBytes?: number;
  /**
   * Length-prefixed only: return the close and open markers (see `CLOSE_MARKER`, `OPEN_MARKER`) as
   * those objects instead of an empty frame or a failure. For @ipc-to-@ipc streams; default false.
   */
  closeMarker?: boolean;
}

/** How messages are delimited on a byte stream. */
export interface Framing {
  /** `length-prefixed` or `lines`. */
  readonly name: string;
  /** The bytes a frame of `payloadLength` bytes takes on the wire. */
  frameLength(payloadLength: number): number;
  /** Writes the whole frame of `payload` into `target` at `offset`; returns the offset after it. */
  writeFrame(payload: Uint8Array, target: Uint8Array, offset: number): number;
  /** The frame of `payload` as pieces to write in order, without copying the payload. */
  framePieces(payload: Uint8Array): Uint8Array[];
  /** A decoder for a stream of these frames. */
  createDecoder(options?: FrameDecoderOptions): FrameDecoder;
}

/** The default `maxFrameBytes`: 64 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
