import type { Duplex } from 'node:stream';
import { IpcError, lengthHeader } from '@ipc/core';

/**
 * Reads and writes small length-prefixed frames on a raw socket before the channel takes it over
 * (the authentication handshake), then hands back any bytes read past the last frame with
 * `unshift`, so the channel sees the stream exactly as the peer wrote it.
 */
export class HandshakeReader {
  private buffered: Buffer = Buffer.alloc(0);
  private waiter: { resolve: (frame: Buffer) => void; reject: (err: unknown) => void } | undefined;
  private failure: IpcError | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.deliver();
  };
  private readonly onEnd = (): void =>
    this.fail(new IpcError('ERR_PEER_GONE', 'the peer closed the connection during authentication'));
  private readonly onError = (err: Error): void =>
    this.fail(
      new IpcError('ERR_PEER_GONE', `connection failed during authentication: ${err.message}`, {
        cause: err,
      }),
    );

  /**
   * @param socket - the connected socket
   * @param maxFrameBytes - the largest handshake frame accepted (Python uses 256)
   */
  constructor(
    private readonly socket: Duplex,
    private readonly maxFrameBytes = 256,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Writes one frame. */
  write(payload: Uint8Array): void {
    this.socket.write(Buffer.concat([lengthHeader(payload.byteLength), payload]));
  }

  /** Reads the next frame. */
  read(): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.deliver();
    });
  }

  /** Fails the pending read (a timeout, an abort). */
  fail(error: IpcError): void {
    this.failure ??= error;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }

  /** Stops reading; bytes past the last frame go back to the socket for the channel. */
  release(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.pause();
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
    this.buffered = Buffer.alloc(0);
  }

  private deliver(): void {
    if (!this.waiter || this.buffered.length < 4) return;
    const length = this.buffered.readUInt32BE(0);
    if (length > this.maxFrameBytes) {
      this.fail(new IpcError('ERR_AUTH', `authentication frame of ${length} bytes is too large`));
      return;
    }
    if (this.buffered.length < 4 + length) return;
    const frame = this.buffered.subarray(4, 4 + length);
    this.buffered = this.buffered.subarray(4 + length);
    const w = this.waiter;
    this.waiter = undefined;
    w.resolve(Buffer.from(frame));
  }
}
