import { RECORD_HEADER } from './ring.js';

/**
 * Whole-message ring records copied out of the ring in one piece, handed out one message at a time:
 * a receiver that finds many small messages waiting pays one allocation and one release for all of
 * them. Each message is a view into the copy, which is the receiver's own memory (never reused).
 */
export class RecordBatch {
  private bytes: Uint8Array | undefined;
  private words: Int32Array | undefined;
  private at = 0;

  /** Whether messages are left. */
  get pending(): boolean {
    return this.bytes !== undefined;
  }

  /** Starts handing out the records in `bytes` (a copy of whole records, 8-byte aligned). */
  take(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
    this.at = 0;
  }

  /** The length of the next message (call only while {@link RecordBatch.pending}). */
  nextLength(): number {
    return (this.words as Int32Array)[this.at >> 2] ?? 0;
  }

  /** The next message (call only while {@link RecordBatch.pending}). */
  next(): Uint8Array {
    const bytes = this.bytes as Uint8Array;
    const length = (this.words as Int32Array)[this.at >> 2] ?? 0;
    const payload = this.at + RECORD_HEADER;
    this.at = payload + ((length + 7) & ~7);
    if (this.at >= bytes.byteLength) {
      this.bytes = undefined;
      this.words = undefined;
    }
    return bytes.subarray(payload, payload + length);
  }
}
