/**
 * The close marker of @ipc-to-@ipc byte streams: what a sender that was asked to
 * (`sendCloseMarker`) writes last on a graceful `close()`, so that the receiver can tell a clean
 * close from a peer that died between two messages (both look like end-of-file on a socket, a pipe
 * or a FIFO).
 *
 * On the wire it is a length-prefixed frame no @ipc or Python writer makes: the escaped header
 * (`0xFFFFFFFF`, meant for payloads over 2^31-1 bytes) with a u64 length of 0 — 12 bytes. A Python
 * `multiprocessing.connection` reader would take it for an empty message, so it is only ever sent
 * where both ends are known to be @ipc (negotiated, or a child that @ipc started): see the README's
 * "Telling a crash from a close" table.
 */
export const CLOSE_MARKER_BYTES: Uint8Array = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0);

/**
 * What a decoder created with `closeMarker: true` returns among its frames for the close marker: this
 * very object (compare with `===`), never a message.
 */
export const CLOSE_MARKER: Uint8Array = new Uint8Array(0);

/**
 * The open marker: what an @ipc writer that announces itself (a FIFO writer) writes first, so that a
 * receiver can count the @ipc writers of a session and tell, when the session ends, whether one of
 * them went away without its close marker (it died). The escaped header with a u64 length of
 * 2^64-1 (12 bytes 0xFF), which no writer makes. Same rules as {@link CLOSE_MARKER_BYTES}.
 */
export const OPEN_MARKER_BYTES: Uint8Array = new Uint8Array(12).fill(0xff);

/** What a decoder created with `closeMarker: true` returns for the open marker (compare with `===`). */
export const OPEN_MARKER: Uint8Array = new Uint8Array(0);
