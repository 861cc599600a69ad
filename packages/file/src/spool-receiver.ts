import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  IpcError,
  resolveCodec,
  toIpcError,
  type Codec,
  type CodecOption,
  type Receiver,
  type RecvOptions,
  nackDelay,
} from '@ipc/core';
import { formatIdentity, Inbox, selfIdentity } from '@ipc/kit';
import type { AckableReceiver, Delivery, NackOptions } from './delivery.js';
import { watchFolder, type FolderWatch } from './folder-watch.js';
import { moveNoClobber } from './move-no-clobber.js';
import { ensureSpool, spoolLayout, type SpoolLayout } from './spool-layout.js';
import { claimableNames } from './spool-listing.js';
import { isEndMarker } from './spool-names.js';
import { recoverStale, registerConsumer, unregisterConsumer } from './spool-recover.js';

/** Options of {@link spoolReceiver}. */
export interface SpoolReceiverOptions<T = unknown> {
  /** How file contents become messages (default `msgpack`; `json` or `raw` for files other programs write). */
  codec?: CodecOption<T> | undefined;
  /**
   * At most this many files are claimed and not yet acked by this receiver: prefetched ahead of
   * `recv` calls plus deliveries not yet acked or nacked (default 32). Claimed files are invisible
   * to other consumers; use 1 for the fairest sharing between consumers. Prefetching starts with
   * the first `recv`, `recvDelivery` or iteration: a receiver that was opened but has not been
   * asked for a message claims nothing (close hands back what was claimed).
   */
  prefetch?: number | undefined;
  /** Wake up on inotify events (`fs.watch` on `new/`, default true). */
  watch?: boolean | undefined;
  /** Also look into `new/` every this many ms (default 1000; the only wake-up when `watch` is false or fails). */
  pollInterval?: number | undefined;
  /** Run {@link recoverStale} when opening and then every this many ms (default 5000; 0: only when opening). */
  recoverInterval?: number | undefined;
}

interface Claimed<T> {
  name: string;
  message: T;
}

let consumerCounter = 0;

/**
 * The receiving side of a spool folder: claims files from `new/` by renaming them into its own
 * `cur/<pid>-<start>-<n>/` folder (a rename is atomic, so exactly one consumer gets each file),
 * decodes them in name order, and deletes them once acknowledged. See {@link spoolReceiver}.
 *
 * @typeParam T - the type of the messages
 */
export class SpoolReceiver<T = unknown> implements Receiver<T>, AckableReceiver<T> {
  /** This consumer's name: its folder under `cur/`. */
  readonly consumer: string;
  private readonly layout: SpoolLayout;
  private readonly mine: string;
  private readonly codec: Codec<T>;
  private readonly inbox: Inbox<Claimed<T>>;
  private readonly held = new Set<string>();
  private readonly prefetch: number;
  private readonly delays = new Map<string, NodeJS.Timeout>();
  private readonly watcher: FolderWatch;
  private readonly recoverTimer: NodeJS.Timeout | undefined;
  private listing: string[] = [];
  private next = 0;
  private dirty = true;
  private paused = false;
  private scheduled = false;
  /** Whether a message was asked for: only then are files claimed. */
  private started = false;
  private ended = false;
  private closing: Promise<void> | undefined;

  /**
   * @param dir - the spool folder (created, mode 0700, when missing)
   * @param options - codec, prefetch, wake-ups, recovery
   */
  constructor(dir: string, options: SpoolReceiverOptions<T> = {}) {
    this.layout = spoolLayout(dir);
    this.codec = resolveCodec(options.codec);
    const prefetch = options.prefetch ?? 32;
    if (!(Number.isInteger(prefetch) && prefetch > 0)) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `prefetch must be a positive integer, got ${String(prefetch)}`,
      );
    }
    this.prefetch = prefetch;
    ensureSpool(this.layout);
    consumerCounter++;
    this.consumer = `${formatIdentity(selfIdentity())}-${consumerCounter}`;
    this.mine = join(this.layout.cur, this.consumer);
    try {
      mkdirSync(this.mine, { mode: 0o700 });
    } catch (err) {
      throw toIpcError(err, 'ERR_INTERNAL', `cannot create ${this.mine}`);
    }
    registerConsumer(this.consumer);
    this.inbox = new Inbox<Claimed<T>>({
      highWaterMessages: prefetch,
      onFull: () => (this.paused = true),
      onRoom: () => {
        this.paused = false;
        this.schedule();
      },
    });
    const recoverInterval = options.recoverInterval ?? 5000;
    recoverStale(dir);
    if (recoverInterval > 0) {
      this.recoverTimer = setInterval(() => {
        if (recoverStale(dir).returned > 0) this.wake();
      }, recoverInterval);
      this.recoverTimer.unref();
    }
    this.watcher = watchFolder(this.layout.new, () => this.wake(), {
      watch: options.watch,
      pollInterval: options.pollInterval,
    });
    // Nothing is claimed before a message is asked for (see `start`).
  }

  /** The spool folder. */
  get dir(): string {
    return this.layout.root;
  }

  /** Receives the next message and acknowledges it (deletes its file) as it hands it out. */
  recv(options: RecvOptions = {}): Promise<T> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    this.start();
    return this.inbox.recv(options).then((c) => this.take(c));
  }

  /** Receives the next message as a {@link Delivery} to `ack()` or `nack()`. */
  recvDelivery(options: RecvOptions = {}): Promise<Delivery<T>> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    this.start();
    return this.inbox.recv(options).then((c) => this.delivery(c));
  }

  /** Iterates deliveries to acknowledge by hand. */
  async *deliveries(): AsyncGenerator<Delivery<T>, void, undefined> {
    this.start();
    for await (const c of this.inbox) yield this.delivery(c);
  }

  /** Iterates messages (auto-ack) until the end marker or `close()`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    this.start();
    for await (const c of this.inbox) yield this.take(c);
  }

  /**
   * Stops receiving; claimed files not yet acknowledged (prefetched, delivered, or nacked with a
   * delay) go back to `new/` for other consumers, and this consumer's `cur/` folder is removed. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watcher.close();
      if (this.recoverTimer !== undefined) clearInterval(this.recoverTimer);
      for (const timer of this.delays.values()) clearTimeout(timer);
      this.delays.clear();
      this.inbox.close();
      for (const name of this.held) this.giveBack(name);
      this.held.clear();
      try {
        rmdirSync(this.mine);
      } catch {
        // a file could not be given back: recoverStale returns it once this process is gone
      }
      unregisterConsumer(this.consumer);
    })();
    return this.closing;
  }

  /** Same as {@link SpoolReceiver.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private take(c: Claimed<T>): T {
    this.ack(c.name);
    return c.message;
  }

  private delivery(c: Claimed<T>): Delivery<T> {
    let settled = false;
    const settle = (): void => {
      if (settled) throw new IpcError('ERR_INVALID_STATE', 'this delivery was already acked or nacked');
      if (this.closing !== undefined || !this.held.has(c.name)) throw closedError();
      settled = true;
    };
    return {
      message: c.message,
      attempt: 1,
      ack: async () => {
        settle();
        this.ack(c.name);
      },
      nack: async (options: NackOptions = {}) => {
        const delay = nackDelay(options);
        settle();
        if (options.requeue === false) return this.ack(c.name);
        if (delay === 0) return this.nackNow(c.name);
        this.delays.set(
          c.name,
          setTimeout(() => {
            this.delays.delete(c.name);
            this.nackNow(c.name);
          }, delay),
        );
      },
    };
  }

  private ack(name: string): void {
    if (!this.held.delete(name)) return;
    if (this.held.size === this.prefetch - 1) this.schedule();
    try {
      unlinkSync(join(this.mine, name));
    } catch {
      // already gone
    }
  }

  private nackNow(name: string): void {
    if (!this.held.has(name)) return;
    this.giveBack(name);
    this.held.delete(name);
    this.wake();
  }

  private giveBack(name: string): void {
    try {
      moveNoClobber(join(this.mine, name), this.layout.new, name);
    } catch {
      // gone already, or the folder went away: nothing to give back
    }
  }

  /**
   * Claiming starts with the first request for a message. A receiver opened ahead of its use (a
   * consumer that opens its next receiver before it is told to go on) would otherwise claim up to
   * `prefetch` files nobody asks it for — an end-of-work message meant for another consumer among
   * them — and hold them until it is used or closed, while the other consumers wait for them.
   */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule();
  }

  private wake(): void {
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.started || this.closing !== undefined || this.ended) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Claims and decodes files in name order until the prefetch is full or `new/` is empty. */
  private pump(): void {
    while (!this.paused && this.held.size < this.prefetch && !this.ended && this.closing === undefined) {
      if (this.next >= this.listing.length) {
        if (!this.dirty) return;
        this.dirty = false;
        try {
          this.listing = this.list();
        } catch (err) {
          this.inbox.fail(toIpcError(err, 'ERR_INTERNAL', `cannot list ${this.layout.new}`));
          return;
        }
        this.next = 0;
        if (this.listing.length === 0) {
          // Only names renamed in while it listed: list again soon (their events may have come already).
          if (this.dirty) this.schedule();
          return;
        }
      }
      const name = this.listing[this.next++] as string;
      if (this.held.has(name)) continue; // same name as a file we still hold: later
      try {
        renameSync(join(this.layout.new, name), join(this.mine, name));
      } catch {
        continue; // another consumer claimed it first
      }
      if (isEndMarker(name)) {
        try {
          unlinkSync(join(this.mine, name));
        } catch {
          // already gone
        }
        this.ended = true;
        this.watcher.close();
        this.inbox.end();
        return;
      }
      this.held.add(name);
      this.deliverFile(name);
    }
  }

  /**
   * Lists `new/` in name order, twice, and keeps what {@link claimableNames} allows: a listing made
   * while files are renamed in may show a later file and miss an earlier one of the same sender.
   */
  private list(): string[] {
    const visible = (n: string): boolean => !n.startsWith('.');
    const first = readdirSync(this.layout.new).filter(visible).sort();
    if (first.length === 0) return first;
    const second = readdirSync(this.layout.new).filter(visible).sort();
    const { names, more } = claimableNames(first, second);
    if (more) this.dirty = true;
    return names;
  }

  private deliverFile(name: string): void {
    const path = join(this.mine, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      this.held.delete(name);
      this.inbox.pushError(toIpcError(err, 'ERR_INTERNAL', `cannot read ${path}`));
      return;
    }
    let message: T;
    try {
      message = this.codec.decode(bytes);
    } catch (err) {
      // Undecodable: keep the file in dead/ for inspection instead of losing it.
      this.held.delete(name);
      try {
        mkdirSync(this.layout.dead, { recursive: true, mode: 0o700 });
        moveNoClobber(path, this.layout.dead, name);
      } catch {
        // leave it claimed: recoverStale returns it after this process ends
      }
      this.inbox.pushError(toIpcError(err, 'ERR_DECODE', `spool file ${name}`), bytes.byteLength);
      return;
    }
    this.inbox.push({ name, message }, bytes.byteLength);
  }
}

function closedError(): IpcError {
  return new IpcError('ERR_CLOSED', 'the spool receiver is closed');
}

/**
 * Opens the receiving side of a maildir-style spool folder. Any program can feed it: write a file
 * elsewhere on the same file system, then `mv` it into `new/`.
 *
 * @example
 * ```ts
 * const rx = spoolReceiver<{ job: number }>('/var/spool/jobs', { codec: 'json' });
 * const d = await rx.recvDelivery();
 * await handle(d.message);
 * await d.ack(); // deletes the file; a crash before this hands it to another consumer
 * ```
 */
export function spoolReceiver<T = unknown>(
  dir: string,
  options: SpoolReceiverOptions<T> = {},
): SpoolReceiver<T> {
  return new SpoolReceiver<T>(dir, options);
}
