import { IpcError, toIpcError } from '../errors.js';
import { checkMaxFrameBytes } from './check-max-frame-bytes.js';
import { CLOSE_MARKER, OPEN_MARKER } from './close-marker.js';
import type { FrameDecoder, FrameDecoderOptions, Framing } from './framing.js';

/** Payloads longer than this use Python's escape: a 0xFFFFFFFF length, then a u64 length. */
const ESCAPE_ABOVE = 0x7fffffff;
const ESCAPE = 0xffffffff;
/** In direct-read mode, a frame at least this big is read into its own buffer (see `readBuffer`). */
const DIRECT_MIN = 64 * 1024;
/**
 * ... once at least 1/8 of it has arrived: what a header merely claims never reserves memory; memory
 * held for a frame stays within 8 times the bytes received (plus the slab).
 */
const DIRECT_SHARE = 8;
/**
 * A frame up to this size gets its own buffer at once, as soon as it is read directly (no more than the
 * read slab of a busy connection): the bulk path (1 MiB messages) copies nothing twice.
 */
const DIRECT_EAGER = 1024 * 1024;
/** Other reads land in fresh regions of slabs: the first one this big ... */
const SLAB_FIRST = 64 * 1024;
/** ... doubling, while reads fill the regions they are given, up to this. */
const SLAB_BYTES = 1024 * 1024;
/** A region is at least this big (a new slab is started below it), or a quarter of a smaller slab. */
const REGION_MIN = 64 * 1024;
/** What reads land in once the decoder has failed (they are dropped). */
const SCRATCH_BYTES = 4096;

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

/**
 * Decodes `[u32 length][payload]` frames (see {@link lengthPrefixed}) from chunks split anywhere.
 *
 * Besides {@link push}, it can choose where the reads land ({@link readBuffer} + {@link pushRead}, for
 * a socket created with Node's `onread` option): straight into the buffer of a big frame being
 * received (the kernel copies into the message itself, with reads as big as the socket holds instead
 * of Node's 64 KiB), or into fresh regions of a slab for small frames, which stay views of it (a
 * region is never handed out twice).
 */
export class LengthPrefixedDecoder implements FrameDecoder {
  private readonly maxFrameBytes: number;
  /** Whether an escaped header of length 0 is the close marker (see `closeMarker`). */
  private readonly closeMarker: boolean;
  /** Header bytes collected so far when a header is split across chunks. */
  private readonly header = Buffer.alloc(12);
  private headerFill = 0;
  /**
   * The pieces of a frame that spans chunks (views, not copies), joined once it is complete: memory
   * grows with the bytes that really arrived, never with what a header merely claims.
   */
  private pieces: Uint8Array[] = [];
  /** The frame's own buffer once reads go straight into it (direct-read mode); then `pieces` is unused. */
  private body: Buffer | undefined;
  private bodyLength = -1;
  private bodyFill = 0;
  private failure: IpcError | undefined;
  private slab: Buffer | undefined;
  private slabPos = 0;
  /** The size of the next slab: grows while reads fill the regions they are given. */
  private slabBytes = SLAB_FIRST;
  /** The length of the last region handed out, to see whether the read filled it. */
  private regionBytes = 0;
  private readingDirect = false;
  /** The last frame was read into an offered buffer (see {@link readBuffer}). */
  private afterLent = false;
  /** Where the payload of the next frame to complete may land (see {@link receiveInto}). */
  private target: Uint8Array | undefined;
  /** Whether `body` is the offered target. */
  private bodyLent = false;

  /** @param options - `maxFrameBytes` (default 64 MiB), `closeMarker` */
  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes);
    this.closeMarker = options.closeMarker === true;
  }

  /** {@inheritDoc FrameDecoder.partial} */
  get partial(): boolean {
    return this.headerFill > 0 || this.bodyLength >= 0;
  }

  /** {@inheritDoc FrameDecoder.push} */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const frames: Uint8Array[] = [];
    try {
      this.decode(chunk, frames);
    } catch (err) {
      // The frames completed before the bad header are the peer's messages: they are returned, and
      // the failure (kept in `failed`) is thrown by the next call.
      if (frames.length === 0 || this.failure === undefined) throw err;
    }
    return frames;
  }

  /** Decodes `chunk` into `frames`; throws (and sets `failure`) at a bad header. */
  private decode(chunk: Uint8Array, frames: Uint8Array[]): void {
    const end = chunk.byteLength;
    let pos = 0;
    while (pos < end) {
      if (this.bodyLength >= 0) {
        const take = Math.min(this.bodyLength - this.bodyFill, end - pos);
        if (this.body === undefined) this.pieces.push(chunk.subarray(pos, pos + take));
        else this.body.set(chunk.subarray(pos, pos + take), this.bodyFill);
        this.bodyFill += take;
        pos += take;
        if (this.bodyFill === this.bodyLength) frames.push(this.takeBody());
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
        if (need === 12 && this.closeMarker && (length === 0 || this.isOpenMarker())) {
          frames.push(length === 0 ? CLOSE_MARKER : OPEN_MARKER);
          continue;
        }
      }
      this.checkLength(length);
      if (end - pos >= length) {
        frames.push(chunk.subarray(pos, pos + length));
        this.target = undefined;
        pos += length;
      } else {
        this.bodyLength = length;
        this.bodyFill = 0;
        this.body = this.takeTarget(length);
      }
    }
  }

  /**
   * Where the next read should land (direct-read mode). A big frame (64 KiB or more) is read into its
   * own buffer — at once up to 1 MiB, a bigger one once at least 1/8 of it has arrived (before that,
   * its pieces land in the slab like small reads: a header alone never reserves more than 1 MiB): while at least 64 KiB of it is missing,
   * or to its last byte when that buffer is the one offered by {@link receiveInto} (memory the caller
   * has touched already; into a fresh allocation, the kernel's copy would take the page faults).
   * Everything else lands in fresh regions of a slab (64 KiB at first, growing to 1 MiB while reads
   * fill what they are given), except that after a frame read into an offered buffer only the next
   * header is read, so that the next body can land in the buffer offered next (by then) from its first
   * byte. Follow each call with one {@link pushRead}.
   *
   * Never throws (Node calls it inside its read callback): when memory for a buffer cannot be
   * allocated, the decoder fails with `ERR_FRAME_TOO_LARGE` (see {@link failed}), the read lands in a
   * scratch buffer, and {@link pushRead} throws.
   */
  readBuffer(): Uint8Array {
    if (this.failure !== undefined) return scratch();
    try {
      return this.nextReadBuffer();
    } catch (err) {
      this.failure = toIpcError(err, 'ERR_FRAME_TOO_LARGE', 'cannot allocate a read buffer');
      this.readingDirect = false;
      this.slab = undefined;
      this.pieces = [];
      this.body = undefined;
      return scratch();
    }
  }

  /** The decoder's failure, once it has failed: every later call throws it. */
  get failed(): IpcError | undefined {
    return this.failure;
  }

  private nextReadBuffer(): Uint8Array {
    if (this.bodyLength >= DIRECT_MIN) {
      const missing = this.bodyLength - this.bodyFill;
      if (missing >= DIRECT_MIN || this.bodyLent) {
        const fits = this.target !== undefined && this.target.byteLength >= this.bodyLength;
        const due = this.bodyLength <= DIRECT_EAGER || this.bodyFill * DIRECT_SHARE >= this.bodyLength;
        if (this.body === undefined && (fits || due)) {
          this.body = this.ownBody();
        }
        if (this.body !== undefined) {
          this.readingDirect = true;
          return this.body.subarray(this.bodyFill);
        }
      }
    }
    this.readingDirect = false;
    if (
      this.slab === undefined ||
      this.slab.byteLength - this.slabPos < Math.min(REGION_MIN, this.slab.byteLength / 4)
    ) {
      this.slab = Buffer.allocUnsafe(this.slabBytes);
      this.slabPos = 0;
    }
    const slab = this.slab;
    if (this.afterLent && this.bodyLength < 0 && this.headerFill === 0) {
      this.afterLent = false;
      this.regionBytes = 0;
      return slab.subarray(this.slabPos, this.slabPos + 4);
    }
    this.regionBytes = slab.byteLength - this.slabPos;
    return slab.subarray(this.slabPos);
  }

  /** The frame's own buffer (the offered one when it fits), holding the pieces received so far. */
  private ownBody(): Buffer {
    const body = this.takeTarget(this.bodyLength) ?? allocateFrame(this.bodyLength);
    let at = 0;
    for (const piece of this.pieces) {
      body.set(piece, at);
      at += piece.byteLength;
    }
    this.pieces = [];
    return body;
  }

  /**
   * Takes the `n` bytes that a read put at the start of the buffer {@link readBuffer} returned;
   * returns the frames completed, like {@link push}.
   */
  pushRead(n: number): Uint8Array[] {
    if (this.failure) throw this.failure;
    if (this.readingDirect) {
      this.readingDirect = false;
      this.bodyFill += n;
      return this.bodyFill === this.bodyLength ? [this.takeBody()] : [];
    }
    const slab = this.slab as Buffer;
    const chunk = slab.subarray(this.slabPos, this.slabPos + n);
    this.slabPos += n;
    if (n === this.regionBytes && this.slabBytes < SLAB_BYTES) this.slabBytes *= 2;
    return this.push(chunk);
  }

  /** {@inheritDoc FrameDecoder.receiveInto} */
  receiveInto(target: Uint8Array | undefined): void {
    this.target = target;
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

  /** A view of the first `length` bytes of the offered target, taken (once), if it is that big. */
  private takeTarget(length: number): Buffer | undefined {
    const target = this.target;
    if (target === undefined || target.byteLength < length) return undefined;
    this.target = undefined;
    this.bodyLent = true;
    return Buffer.from(target.buffer, target.byteOffset, length);
  }

  private takeBody(): Uint8Array {
    this.target = undefined;
    this.afterLent = this.bodyLent;
    this.bodyLent = false;
    const frame = this.body ?? joinPieces(this.pieces, this.bodyLength);
    this.body = undefined;
    this.pieces = [];
    this.bodyLength = -1;
    return frame;
  }

  /** Whether the escaped header just read is the open marker (a u64 length of 2^64-1). */
  private isOpenMarker(): boolean {
    for (let i = 4; i < 12; i++) if (this.header[i] !== 0xff) return false;
    return true;
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

/**
 * A buffer for a frame of `length` bytes; `ERR_FRAME_TOO_LARGE` when the memory cannot be had (a
 * `RangeError` from V8, as under `ulimit -v`), instead of an exception that would take the process down.
 */
function allocateFrame(length: number): Buffer {
  try {
    return Buffer.allocUnsafe(length);
  } catch (err) {
    throw new IpcError(
      'ERR_FRAME_TOO_LARGE',
      `cannot allocate ${length} bytes for a frame: out of memory (lower maxFrameBytes, or allow the process more memory)`,
      { cause: err },
    );
  }
}

/** The pieces of a frame, joined into one buffer of `length` bytes. */
function joinPieces(pieces: readonly Uint8Array[], length: number): Buffer {
  const frame = allocateFrame(length);
  let at = 0;
  for (const piece of pieces) {
    frame.set(piece, at);
    at += piece.byteLength;
  }
  return frame;
}

let scratchBuffer: Buffer | undefined;

/** A small buffer shared by failed decoders, for reads that are dropped. */
function scratch(): Buffer {
  scratchBuffer ??= Buffer.allocUnsafe(SCRATCH_BYTES);
  return scratchBuffer;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) * 0x1000000 +
      (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number))) >>>
    0
  );
}
