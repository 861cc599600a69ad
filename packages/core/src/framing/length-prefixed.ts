import { IpcError } from '../errors.js';
import { checkMaxFrameBytes } from './check-max-frame-bytes.js';
import type { FrameDecoder, FrameDecoderOptions, Framing } from './framing.js';

/** Payloads longer than this use Python's escape: a 0xFFFFFFFF length, then a u64 length. */
const ESCAPE_ABOVE = 0x7fffffff;
const ESCAPE = 0xffffffff;

/** The header of a frame of `length` bytes: 4 bytes, or 12 with the escape for payloads over 2^31-1. */
export function lengthHeader(length: number): Uint8Array {
  const header = Buffer.allocUnsafe(length > ESCAPE_ABOVE ? 12 : 4);
  writeLengthHeader(length, header, 0);
  return header;
}

/** Writes the header of a frame of `length` bytes into `target` at `offset`; returns the offset after it. */
export function writeLengthHeader(length: number, target: Uint8Array, offset: number): number {
  if (length > ESCAPE_ABOVE) {
    const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
    view.setUint32(offset, ESCAPE);
    view.setBigUint64(offset + 4, BigInt(length));
    return offset + 12;
  }
  // The hot path (every message): four byte stores, no DataView allocation.
  target[offset] = length >>> 24;
  target[offset + 1] = (length >>> 16) & 0xff;
  target[offset + 2] = (length >>> 8) & 0xff;
  target[offset + 3] = length & 0xff;
  return offset + 4;
}

/**
 * `[u32 big-endian length][payload]`, the framing of Python's `multiprocessing.connection`
 * (`send_bytes`/`recv_bytes`), including its escape for payloads over 2^31-1 bytes
 * (length field 0xFFFFFFFF, then a u64 big-endian length).
 */
export const lengthPrefixed: Framing = {
  name: 'length-prefixed',
  frameLength: (n) => n + (n > ESCAPE_ABOVE ? 12 : 4),
  writeFrame(payload, target, offset) {
    const at = writeLengthHeader(payload.byteLength, target, offset);
    target.set(payload, at);
    return at + payload.byteLength;
  },
  framePieces: (payload) => [lengthHeader(payload.byteLength), payload],
  createDecoder: (options) => new LengthPrefixedDecoder(options),
};

/** Decodes `[u32 length][payload]` frames (see {@link lengthPrefixed}) from chunks split anywhere. */
export class LengthPrefixedDecoder implements FrameDecoder {
  private readonly maxFrameBytes: number;
  /** Header bytes collected so far when a header is split across chunks. */
  private readonly header = Buffer.alloc(12);
  private headerFill = 0;
  /**
   * The pieces of a frame that spans chunks (views, not copies), joined once it is complete: memory
   * grows with the bytes that really arrived, never with what a header merely claims.
   */
  private pieces: Uint8Array[] = [];
  private bodyLength = -1;
  private bodyFill = 0;
  private failure: IpcError | undefined;

  /** @param options - `maxFrameBytes` (default 64 MiB) */
  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes);
  }

  /** {@inheritDoc FrameDecoder.partial} */
  get partial(): boolean {
    return this.headerFill > 0 || this.bodyLength >= 0;
  }

  /** {@inheritDoc FrameDecoder.push} */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const frames: Uint8Array[] = [];
    const end = chunk.byteLength;
    let pos = 0;
    while (pos < end) {
      if (this.bodyLength >= 0) {
        const take = Math.min(this.bodyLength - this.bodyFill, end - pos);
        this.pieces.push(chunk.subarray(pos, pos + take));
        this.bodyFill += take;
        pos += take;
        if (this.bodyFill === this.bodyLength) {
          frames.push(Buffer.concat(this.pieces, this.bodyLength));
          this.pieces = [];
          this.bodyLength = -1;
        }
        continue;
      }
      let length: number;
      if (this.headerFill === 0 && end - pos >= 4 && readU32(chunk, pos) !== ESCAPE) {
        length = readU32(chunk, pos);
        pos += 4;
      } else {
        // Slow path: a split header, or the 12-byte escape.
        const need = this.headerFill >= 4 && readU32(this.header, 0) === ESCAPE ? 12 : 4;
        const take = Math.min(need - this.headerFill, end - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < need) continue;
        if (need === 4 && readU32(this.header, 0) === ESCAPE) continue;
        length = need === 4 ? readU32(this.header, 0) : this.readEscapedLength();
        this.headerFill = 0;
      }
      this.checkLength(length);
      if (end - pos >= length) {
        frames.push(chunk.subarray(pos, pos + length));
        pos += length;
      } else {
        this.bodyLength = length;
        this.bodyFill = 0;
      }
    }
    return frames;
  }

  /** {@inheritDoc FrameDecoder.end} */
  end(): Uint8Array[] {
    if (this.failure) throw this.failure;
    if (this.partial) {
      const got =
        this.bodyLength >= 0 ? `${this.bodyFill} of ${this.bodyLength} payload bytes` : 'a partial header';
      this.failure = new IpcError('ERR_PEER_GONE', `the stream ended in the middle of a frame (${got})`);
      throw this.failure;
    }
    return [];
  }

  private readEscapedLength(): number {
    const big = this.header.readBigUInt64BE(4);
    return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(big);
  }

  private checkLength(length: number): void {
    if (length > this.maxFrameBytes) {
      this.failure = new IpcError(
        'ERR_FRAME_TOO_LARGE',
        `a frame header claims ${length} bytes, more than maxFrameBytes (${this.maxFrameBytes})`,
      );
      throw this.failure;
    }
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) * 0x1000000 +
      (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number))) >>>
    0
  );
}
