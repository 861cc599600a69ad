import { closeSync, fsync, openSync } from 'node:fs';
import { toIpcError } from '@ipc/core';

/**
 * Group commit of a folder's entries: `sync()` resolves once an `fsync(2)` of the folder that
 * started after the call has finished, so every rename done before the call is durable. Callers
 * that arrive while one fsync runs share the next one.
 */
export class DirSyncer {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  /** @param path - the folder to fsync */
  constructor(private readonly path: string) {}

  /** Makes every rename into the folder done so far durable. */
  sync(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.run().finally(() => (this.running = undefined));
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.sync();
      });
    return this.next;
  }

  /** Closes the folder's descriptor (after the running fsync, if any). */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async run(): Promise<void> {
    this.fd ??= openSync(this.path, 'r');
    const fd = this.fd;
    return new Promise<void>((resolve, reject) =>
      fsync(fd, (err) => (err ? reject(toIpcError(err, 'ERR_INTERNAL', `fsync ${this.path}`)) : resolve())),
    );
  }
}
