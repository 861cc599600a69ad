import { IpcError } from '@ipc/core';
import { sqliteError } from './sqlite-database.js';
import type { SqliteConnection } from './sqlite-driver.js';
import { reclaimedError, type QueueStatements } from './sqlite-statements.js';
import { notifyLocal } from './sqlite-wake.js';

/** A row to enqueue: a message, or the end marker of a channel. */
export interface QueuedRow {
  body: Uint8Array;
  priority: number;
  delay: number;
  kind: 'message' | 'end';
}

interface PendingSend extends QueuedRow {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface PendingAck {
  id: number;
  attempt: number;
  done?: ((err?: IpcError) => void) | undefined;
}

/**
 * The writes of one SQLite queue connection, batched per event-loop turn: every send of a turn is
 * one INSERT transaction, every ack one DELETE transaction (a commit — an fsync with
 * `synchronous=FULL` — is the cost of a write, so a burst pays it once). Sends resolve once
 * committed; an ack whose row was meanwhile claimed by another consumer (its visibility timeout
 * elapsed) fails with `ERR_TIMEOUT`.
 */
export class SqliteWriteBatch {
  private readonly sends: PendingSend[] = [];
  private readonly acks: PendingAck[] = [];
  private scheduled = false;

  constructor(
    private readonly db: SqliteConnection,
    private readonly stmts: QueueStatements,
    /** The database file, for waking this process's other receivers. */
    private readonly path: string,
    /** The queue sends go to. */
    private readonly queue: string,
    /** The consumer name acks are made as (a row claimed by another consumer is not deleted). */
    private readonly consumer: string,
  ) {}

  /** Enqueues `row`; resolves once its INSERT is committed. */
  send(row: QueuedRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.sends.push({ ...row, resolve, reject });
      this.schedule();
    });
  }

  /** Acks the claimed row `id` (claim number `attempt`); resolves once deleted. */
  ack(id: number, attempt: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.acks.push({ id, attempt, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.schedule();
    });
  }

  /** Acks like {@link SqliteWriteBatch.ack}, with nobody waiting for the outcome (auto-ack on receive). */
  ackLater(id: number, attempt: number): void {
    this.acks.push({ id, attempt });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush()); // every write of this event-loop turn in one transaction
  }

  /** Commits queued sends and acks now, each group in one transaction. */
  flush(): void {
    this.scheduled = false;
    if (!this.db.open) return;
    const sends = this.sends.splice(0);
    if (sends.length > 0) {
      const now = Date.now();
      try {
        this.db.transaction(() => {
          for (const s of sends) this.stmts.insert.run(this.queue, s.body, s.priority, now + s.delay, s.kind);
        });
        for (const s of sends) s.resolve();
        notifyLocal(this.path);
      } catch (err) {
        const error = sqliteError(err, 'send');
        for (const s of sends) s.reject(error);
      }
    }
    const acks = this.acks.splice(0);
    if (acks.length > 0) {
      try {
        const changes = this.db.transaction(() =>
          acks.map((a) => this.stmts.ack.run(a.id, this.consumer, a.attempt).changes),
        );
        acks.forEach((a, i) => a.done?.(changes[i] === 1 ? undefined : reclaimedError()));
      } catch (err) {
        const error = sqliteError(err, 'ack');
        for (const a of acks) a.done?.(error);
      }
    }
  }
}
