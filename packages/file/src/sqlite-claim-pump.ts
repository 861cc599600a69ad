import { basename, dirname } from 'node:path';
import { isIpcError, toIpcError, type Codec } from '@ipc/core';
import { Inbox } from '@ipc/kit';
import { watchFolder, type FolderWatch } from './folder-watch.js';
import { sqliteError } from './sqlite-database.js';
import type { SqliteConnection } from './sqlite-driver.js';
import { bodyBytes, type QueueStatements } from './sqlite-statements.js';
import { onLocal } from './sqlite-wake.js';

/** A message this consumer claimed: its row, its claim number, the decoded message. */
export interface Claimed<T> {
  id: number;
  attempt: number;
  message: T;
}

/** What the pump of one queue works with (the {@link SqliteQueue} that owns it gives it all). */
export interface ClaimPumpSettings<In> {
  db: SqliteConnection;
  stmts: QueueStatements;
  /** The database file: its folder is watched, and this process's senders to it wake the pump. */
  path: string;
  /** The queue claimed from. */
  queue: string;
  /** This consumer's name, written in `claimed_by`. */
  consumer: string;
  codec: Codec<In>;
  /** How long a claim hides a row from other consumers, in ms. */
  visibility: number;
  /** Claims after which a row is dead-lettered instead of delivered. */
  maxAttempts: number;
  /** At most this many rows claimed and not yet settled. */
  prefetch: number;
  /** `watch` and `pollInterval` of {@link SqliteQueueOptions}. */
  watch: boolean | undefined;
  pollInterval: number | undefined;
  /** Whether the queue is closing: the pump then claims nothing more. */
  isClosing: () => boolean;
  /** Runs once when the pump starts: gives back the rows of consumers that died. */
  recoverStale: () => void;
}

interface Row {
  id: number;
  body: unknown;
  attempts: number;
  kind: string;
}

/**
 * The receiving side of a SQLite queue: claims up to `prefetch` rows at a time in one `BEGIN
 * IMMEDIATE` transaction (exactly one claimer wins each row), decodes them into an {@link Inbox},
 * dead-letters rows claimed `maxAttempts` times and rows that do not decode, and ends at an end
 * marker. It wakes on writes (inotify on the database's `-wal` file, this process's own senders, a
 * poll) and when the earliest delayed or claimed row becomes visible. It keeps the rows it holds —
 * claimed, delivered or not, not yet settled — and gives them back on close.
 */
export class SqliteClaimPump<In> {
  private readonly held = new Map<number, { attempt: number; delivered: boolean }>();
  private inbox: Inbox<Claimed<In>> | undefined;
  private watcher: FolderWatch | undefined;
  private unsubscribe: (() => void) | undefined;
  private nextTimer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private paused = false;
  private ended = false;

  constructor(private readonly s: ClaimPumpSettings<In>) {}

  /** The inbox of claimed messages; the first call starts the pump. */
  start(): Inbox<Claimed<In>> {
    if (this.inbox !== undefined) return this.inbox;
    const s = this.s;
    this.inbox = new Inbox<Claimed<In>>({
      highWaterMessages: s.prefetch,
      onFull: () => (this.paused = true),
      onRoom: () => {
        this.paused = false;
        this.schedule();
      },
    });
    const base = basename(s.path);
    this.watcher = watchFolder(dirname(s.path), () => this.schedule(), {
      watch: s.watch,
      pollInterval: s.pollInterval,
      filter: (name) => name === `${base}-wal` || name === base,
    });
    this.unsubscribe = onLocal(s.path, () => this.schedule());
    try {
      s.recoverStale();
    } catch {
      // the visibility timeout recovers them instead
    }
    this.schedule();
    return this.inbox;
  }

  /** Marks a held row as handed out as a delivery (closing then gives it back without counting the claim). */
  delivered(id: number): void {
    const h = this.held.get(id);
    if (h !== undefined) h.delivered = true;
  }

  /** A held row was received with auto-ack: forgets it, and claims more once there is room again. */
  taken(id: number): void {
    this.held.delete(id);
    if (this.held.size === this.s.prefetch - 1) this.schedule();
  }

  /** A delivery was acked or nacked: forgets its row; one more claim fits under the prefetch. */
  settled(id: number): void {
    this.held.delete(id);
    this.schedule();
  }

  /**
   * Stops: no more wake-ups, the inbox closes (pending receives reject), and the rows still held go
   * back to the queue in one transaction (a prefetched row's claim is not counted as an attempt).
   */
  close(): void {
    this.watcher?.close();
    this.unsubscribe?.();
    if (this.nextTimer !== undefined) clearTimeout(this.nextTimer);
    this.inbox?.close();
    try {
      const now = Date.now();
      this.s.db.transaction(() => {
        for (const [id, h] of this.held)
          this.s.stmts.release.run(now, h.delivered ? 0 : 1, id, this.s.consumer);
      });
    } catch {
      // the visibility timeout gives them back
    }
    this.held.clear();
  }

  private schedule(): void {
    if (this.scheduled || this.s.isClosing() || this.ended) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Claims up to the free prefetch in one BEGIN IMMEDIATE transaction. */
  private pump(): void {
    const { inbox, s } = this;
    if (inbox === undefined || this.paused || this.ended || s.isClosing()) return;
    const want = s.prefetch - this.held.size; // buffered plus delivered-but-unacked
    if (want <= 0) return;
    const now = Date.now();
    let rows: Row[];
    try {
      if (s.stmts.peek.get(s.queue, now) === undefined) {
        this.armNextTimer();
        return;
      }
      rows = s.db.transaction(() => {
        const out: Row[] = [];
        let candidates = s.stmts.select.all(s.queue, now, want) as Row[];
        while (candidates.length > 0) {
          for (const row of candidates) {
            if (row.attempts >= s.maxAttempts) {
              s.stmts.kill.run(`not acked after ${row.attempts} attempts`, row.id);
              continue;
            }
            s.stmts.claim.run(s.consumer, now + s.visibility, row.id);
            out.push({ ...row, attempts: row.attempts + 1 });
          }
          if (out.length > 0 || candidates.length < want) break;
          candidates = s.stmts.select.all(s.queue, now, want) as Row[];
        }
        return out;
      }, 'immediate');
    } catch (err) {
      if (isIpcError(sqliteError(err, ''), 'ERR_TIMEOUT')) {
        this.schedule(); // another process holds the lock: try again on the next turn
        return;
      }
      inbox.fail(sqliteError(err, 'recv'));
      return;
    }
    for (const row of rows) this.deliverRow(inbox, row);
    if (rows.length > 0 && !this.paused && !this.ended) this.schedule();
    else if (rows.length === 0) this.armNextTimer();
  }

  private deliverRow(inbox: Inbox<Claimed<In>>, row: Row): void {
    if (row.kind === 'end') {
      this.s.stmts.remove.run(row.id);
      this.ended = true;
      this.watcher?.close();
      inbox.end();
      return;
    }
    const bytes = bodyBytes(row.body);
    let message: In;
    try {
      message = this.s.codec.decode(bytes);
    } catch (err) {
      const error = toIpcError(err, 'ERR_DECODE', `message ${row.id}`);
      try {
        this.s.stmts.kill.run(`undecodable: ${error.message}`, row.id);
      } catch {
        // it times out and is retried, then dead-lettered
      }
      inbox.pushError(error, bytes.byteLength);
      return;
    }
    this.held.set(row.id, { attempt: row.attempts, delivered: false });
    inbox.push({ id: row.id, attempt: row.attempts, message }, bytes.byteLength);
  }

  /** Wakes the pump when the earliest delayed or claimed row of the queue becomes visible. */
  private armNextTimer(): void {
    if (this.nextTimer !== undefined) clearTimeout(this.nextTimer);
    this.nextTimer = undefined;
    let t: number | null;
    try {
      t = (this.s.stmts.nextVisible.get(this.s.queue) as { t: number | null }).t;
    } catch {
      return; // the poll interval retries
    }
    if (t === null) return;
    this.nextTimer = setTimeout(
      () => {
        this.nextTimer = undefined;
        this.schedule();
      },
      Math.min(Math.max(t - Date.now() + 1, 0), 2 ** 31 - 1),
    );
  }
}
