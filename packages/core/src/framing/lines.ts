import { IpcError } from '../errors.js';
import { checkMaxFrameBytes } from './check-max-frame-bytes.js';
import type { FrameDecoder, FrameDecoderOptions, Framing } from './framing.js';

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const NEWLINE_BYTES = Buffer.from('\n');

/**
 * Newline-delimited frames, for shell tools (`echo '{"a":1}' > fifo`, `jq -c`): each payload then
 * `\n`. A payload containing a newline cannot be sent (`ERR_ENCODE`); the JSON codec never makes one.
 * The decoder accepts `\r\n` too, and a last line without a newline at the end of the stream.
 */
export const lines: Framing = {
  name: 'lines',
  frameLength: (n) => n + 1,
  writeFrame(payload, target, offset) {
    checkNoNewline(payload);
    target.set(payload, offset);
    target[offset + payload.byteLength] = NEWLINE;
    return offset + payload.byteLength + 1;
  },
  framePieces(payload) {
    checkNoNewline(payload);
    return [payload, NEWLINE_BYTES];
  },
  createDecoder: (options) => new LineDecoder(options),
};

function checkNoNewline(payload: Uint8Array): void {
  if (payload.indexOf(NEWLINE) !== -1) {
    throw new IpcError('ERR_ENCODE', 'a message sent with the lines framing must not contain a newline');
  }
}

/** Decodes newline-delimited frames (see {@link lines}). */
export class LineDecoder implements FrameDecoder {
  private readonly maxFrameBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private failure: IpcError | undefined;

  /** @param options - `maxFrameBytes`: the longest line accepted (default 64 MiB) */
  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes);
  }

  /** {@inheritDoc FrameDecoder.partial} */
  get partial(): boolean {
    return this.pendingBytes > 0;
  }

  /** {@inheritDoc FrameDecoder.push} */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const frames: Uint8Array[] = [];
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, pos);
      if (nl === -1) break;
      let line = chunk.subarray(pos, nl);
      if (this.pendingBytes > 0) {
        this.check(this.pendingBytes + line.byteLength);
        line = Buffer.concat([...this.pending, line]);
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        this.check(line.byteLength);
      }
      frames.push(stripReturn(line));
      pos = nl + 1;
    }
    if (pos < chunk.byteLength) {
      const rest = chunk.subarray(pos);
      this.check(this.pendingBytes + rest.byteLength);
      this.pending.push(rest);
      this.pendingBytes += rest.byteLength;
    }
    return frames;
  }

  /** {@inheritDoc FrameDecoder.end} */
  end(): Uint8Array[] {
    if (this.failure) throw this.failure;
    if (this.pendingBytes === 0) return [];
    const last = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return [stripReturn(last)];
  }

  private check(length: number): void {
    if (length > this.maxFrameBytes) {
      this.failure = new IpcError(
        'ERR_FRAME_TOO_LARGE',
        `a line is longer than maxFrameBytes (${this.maxFrameBytes}) without a newline`,
      );
      throw this.failure;
    }
  }
}

function stripReturn(line: Uint8Array): Uint8Array {
  const n = line.byteLength;
  return n > 0 && line[n - 1] === RETURN ? line.subarray(0, n - 1) : line;
}
