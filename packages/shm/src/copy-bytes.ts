/** The largest piece {@link copyBytes} copies in one call. */
const PIECE_BYTES = 512 * 1024;

/**
 * `dst.set(src, offset)`, in pieces of at most 512 KiB. glibc (2.33 and later) copies with
 * `rep movsb` up to a size limit and with a vector loop above it; on AMD CPUs that limit is the L2
 * cache size (1 MiB on the 2-vCPU EPYC machines this was measured on), and there the vector loop
 * measured about half as fast when another process reads what was copied: 1 MiB messages through a
 * ring went at 5.5k MiB/s against 10.5k for 1 MiB less 8 bytes. Pieces keep every copy on the fast
 * path; elsewhere they cost one call per 512 KiB. Exported for `@ipc/queue`.
 */
export function copyBytes(dst: Uint8Array, src: Uint8Array, offset: number): void {
  const n = src.byteLength;
  // Within one buffer the two may overlap: `set` moves such bytes correctly, pieces might not.
  if (n <= PIECE_BYTES || src.buffer === dst.buffer) {
    dst.set(src, offset);
    return;
  }
  // As `set`: nothing is copied when it does not fit.
  if (!(offset >= 0 && offset + n <= dst.byteLength)) throw new RangeError('offset is out of bounds');
  for (let i = 0; i < n; i += PIECE_BYTES) dst.set(src.subarray(i, Math.min(n, i + PIECE_BYTES)), offset + i);
}
