import { closeSync, fdatasync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  IpcError,
  resolveCodec,
  throwIfAborted,
  toIpcError,
  waitWith,
  type Codec,
  type CodecOption,
  type Sender,
  type SendOptions,
} from '@ipc/core';
import { DirSyncer } from './dir-syncer.js';
import { watchFolder, type FolderWatch } from './folder-watch.js';
import { ensureSpool, spoolLayout, type SpoolLayout } from './spool-layout.js';
import { END_SUFFIX, nextSpoolName } from './spool-names.js';

/** Options of {@link spoolSender}. */
export interface SpoolSenderOptions<T = unknown> {
  /** How messages become file contents (default `msgpack`; `json` or `raw` for files other programs read). */
  codec?: CodecOption<T> | undefined;
  /**
   * Make each message durable before `send` resolves (default true): `fdatasync(2)` of the file
   * before its rename into `new/`, and `fsync(2)` of `new/` after it (shared by concurrent sends).
   * With false a process crash still loses nothing that was sent, but a power cut can lose the last
   * messages or leave them empty.
   */
  fsync?: boolean | undefined;
  /**
   * On `close()`, drop an end-of-stream marker into `new/` after the last message (default false):
   * the receiver that claims it ends its iteration (`recv` rejects with `ERR_CLOSED`). For one-to-one
   * conversations; a queue fed by many senders leaves it off.
   */
  end?: boolean | undefined;
  /**
   * Bound the spool: `send` waits while `new/` holds this many files or more (default: no bound).
   * Counting lists the folder, so keep it in the thousands at most.
   */
  maxQueued?: number | undefined;
  /** Poll interval in ms while waiting for room under `maxQueued`, besides inotify wake-ups (default 1000). */
  pollInterval?: number | undefined;
}

interface Pending {
  bytes: Uint8Array;
  name: string;
  signal: AbortSignal | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** How many queued sends one flush writes before it renames them (a group commit). */
const BATCH = 64;

/**
 * Writes each message as one file: `tmp/<name>` is written (and fdatasync'ed), then renamed into
 * `new/<name>`, so a reader never sees half a file. `send` resolves once the rename is done (and
 * durable, with `fsync`). Names sort in send order. See {@link spoolSender}.
 *
 * @typeParam T - the type of the messages
 */
export class SpoolSender<T = unknown> implements Sender<T> {
  private readonly layout: SpoolLayout;
  private readonly codec: Codec<T>;
  private readonly fsync: boolean;
  private readonly end: boolean;
  private readonly maxQueued: number | undefined;
  private readonly pollInterval: number;
  private readonly syncer: DirSyncer;
  private readonly pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private queuedGuess = 0;

  /**
   * @param dir - the spool folder (created, mode 0700, with `tmp/`, `new/`, `cur/`, when missing)
   * @param options - codec, fsync, end marker, bound
   */
  constructor(dir: string, options: SpoolSenderOptions<T> = {}) {
    this.layout = spoolLayout(dir);
    this.codec = resolveCodec(options.codec);
    this.fsync = options.fsync ?? true;
    this.end = options.end ?? false;
    const max = options.maxQueued;
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `maxQueued must be a positive integer, got ${String(max)}`);
    }
    this.maxQueued = max;
    this.pollInterval = options.pollInterval ?? 1000;
    ensureSpool(this.layout);
    this.syncer = new DirSyncer(this.layout.new);
  }

  /** The spool folder. */
  get dir(): string {
    return this.layout.root;
  }

  /** Writes one message file; resolves once it is in `new/` (durably, with `fsync`). */
  send(message: T, options: SendOptions = {}): Promise<void> {
    if (this.closing !== undefined)
      return Promise.reject(new IpcError('ERR_CLOSED', 'the spool sender is closed'));
    let bytes: Uint8Array;
    try {
      throwIfAborted(options.signal);
      bytes = this.codec.encode(message);
    } catch (err) {
      return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
    }
    return this.enqueue(bytes, nextSpoolName(), options.signal);
  }

  /** Writes what was accepted (and the end marker, with `end`), then closes. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.end)
        await this.enqueue(new Uint8Array(0), nextSpoolName() + END_SUFFIX, undefined).catch(() => {});
      while (this.flushing !== undefined) await this.flushing;
      await this.syncer.close();
    })();
    return this.closing;
  }

  /** Same as {@link SpoolSender.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private enqueue(bytes: Uint8Array, name: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ bytes, name, signal, resolve, reject });
      this.kick();
    });
  }

  /** Starts the flush loop unless it runs; a send queued while it finishes restarts it. */
  private kick(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, BATCH);
      const written: Pending[] = [];
      const fds: number[] = [];
      for (const item of batch) {
        try {
          if (this.maxQueued !== undefined) await this.waitForRoom(item.signal);
          throwIfAborted(item.signal);
          fds.push(this.writeTemp(item));
          written.push(item);
          this.queuedGuess++;
        } catch (err) {
          item.reject(toIpcError(err, 'ERR_INTERNAL', 'spool write'));
        }
      }
      const synced = await Promise.all(
        written.map((item, i) =>
          this.finishTemp(fds[i] as number).then(
            () => true,
            (err: unknown) => {
              this.discardTemp(item);
              item.reject(toIpcError(err, 'ERR_INTERNAL', 'spool fsync'));
              return false;
            },
          ),
        ),
      );
      const renamed: Pending[] = [];
      written.forEach((item, i) => {
        if (synced[i] !== true) return;
        try {
          renameSync(join(this.layout.tmp, item.name), join(this.layout.new, item.name));
          renamed.push(item);
        } catch (err) {
          this.discardTemp(item);
          item.reject(toIpcError(err, 'ERR_INTERNAL', 'spool rename'));
        }
      });
      if (this.fsync && renamed.length > 0) {
        try {
          await this.syncer.sync();
        } catch (err) {
          for (const item of renamed) item.reject(err);
          continue;
        }
      }
      for (const item of renamed) item.resolve();
    }
  }

  /** Creates `tmp/<name>` (O_EXCL, mode 0600) and writes the bytes; returns the open descriptor. */
  private writeTemp(item: Pending): number {
    const fd = openSync(join(this.layout.tmp, item.name), 'wx', 0o600);
    try {
      let offset = 0;
      while (offset < item.bytes.byteLength) {
        offset += writeSync(fd, item.bytes, offset, item.bytes.byteLength - offset);
      }
      return fd;
    } catch (err) {
      closeSync(fd);
      this.discardTemp(item);
      throw err;
    }
  }

  /** fdatasync (with `fsync`) and close a temporary file. */
  private finishTemp(fd: number): Promise<void> {
    if (!this.fsync) {
      closeSync(fd);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) =>
      fdatasync(fd, (err) => {
        closeSync(fd);
        if (err) reject(err);
        else resolve();
      }),
    );
  }

  private discardTemp(item: Pending): void {
    try {
      unlinkSync(join(this.layout.tmp, item.name));
    } catch {
      // already gone
    }
  }

  private countQueued(): number {
    let n = 0;
    for (const name of readdirSync(this.layout.new)) if (!name.startsWith('.')) n++;
    this.queuedGuess = n;
    return n;
  }

  private async waitForRoom(signal: AbortSignal | undefined): Promise<void> {
    const max = this.maxQueued as number;
    if (this.queuedGuess < max || this.countQueued() < max) return;
    let watcher: FolderWatch | undefined;
    try {
      await waitWith<void>({ signal }, (resolve) => {
        watcher = watchFolder(
          this.layout.new,
          () => {
            if (this.countQueued() < max) resolve();
          },
          { pollInterval: this.pollInterval },
        );
        return () => watcher?.close();
      });
    } finally {
      watcher?.close();
    }
  }
}

/**
 * Opens the sending side of a maildir-style spool folder.
 *
 * @example
 * ```ts
 * const tx = spoolSender('/var/spool/jobs', { codec: 'json' });
 * await tx.send({ job: 1 }); // now in /var/spool/jobs/new/, readable with `cat`
 * await tx.close();
 * ```
 */
export function spoolSender<T = unknown>(dir: string, options: SpoolSenderOptions<T> = {}): SpoolSender<T> {
  return new SpoolSender<T>(dir, options);
}
