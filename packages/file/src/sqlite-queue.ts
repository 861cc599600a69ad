import { resolve as resolvePath } from 'node:path';
import {
  checkMs,
  IpcError,
  resolveCodec,
  throwIfAborted,
  toIpcError,
  type Channel,
  type Codec,
  type CodecOption,
  type RecvOptions,
  type SendOptions,
} from '@ipc/core';
import { formatIdentity, selfIdentity } from '@ipc/kit';
import type { AckableReceiver, Delivery } from './delivery.js';
import { SqliteClaimPump, type Claimed } from './sqlite-claim-pump.js';
import { claimedDelivery, type DeliveryContext } from './sqlite-claimed-delivery.js';
import { openQueueDatabase, type SqliteConnectionOptions } from './sqlite-database.js';
import type { SqliteConnection, SqliteDriverName } from './sqlite-driver.js';
import { readDeadLetters, recoverStaleClaims, type DeadLetter } from './sqlite-recover.js';
import { END_PRIORITY } from './sqlite-schema.js';
import { closedError, prepareQueueStatements, type QueueStatements } from './sqlite-statements.js';
import { SqliteWriteBatch } from './sqlite-write-batch.js';

/** Options of {@link sqliteQueue} and {@link sqliteChannel}. */
export interface SqliteQueueOptions<T = unknown> extends SqliteConnectionOptions {
  /** The message codec (default `msgpack`; `json` for rows other programs write or read as text). */
  codec?: CodecOption<T> | undefined;
  /** How long a claimed message stays invisible to other consumers before it is delivered again, in ms (default 30,000). */
  visibilityTimeout?: number | undefined;
  /** After this many claims without an ack a message is dead-lettered (`state = 'dead'`) instead of delivered (default 5). */
  maxAttempts?: number | undefined;
  /**
   * At most this many messages are claimed and not yet acked by this receiver: prefetched ahead of
   * `recv` calls (claimed in one transaction) plus deliveries not yet acked or nacked (default 32).
   */
  prefetch?: number | undefined;
  /** Wake up on inotify events on the database's `-wal` file (`fs.watch` on its folder, default true). */
  watch?: boolean | undefined;
  /** Also look for messages every this many ms (default 1000; the only wake-up for other processes' writes when `watch` is false). */
  pollInterval?: number | undefined;
  /** On `close()`, enqueue an end marker that ends the iteration of the receiver that claims it (default false; true for {@link sqliteChannel}). */
  end?: boolean | undefined;
}

/** Options of {@link SqliteQueue.send}. */
export interface SqliteSendOptions extends SendOptions {
  /** Higher is received first (default 0). An integer. */
  priority?: number | undefined;
  /** Not visible to receivers for this many ms (default 0). */
  delay?: number | undefined;
}

let consumerCounter = 0;

/**
 * A durable queue in one SQLite table (see {@link SCHEMA}), shared by any number of processes:
 * sends are INSERTs (all sends of one event-loop turn in one transaction), receivers claim rows in a
 * `BEGIN IMMEDIATE` transaction (exactly one claimer wins), and an ack deletes the row. A claimed
 * row not acked within `visibilityTimeout` is delivered again; after `maxAttempts` claims it is
 * dead-lettered. The receiving side starts on the first `recv`, so a queue used only to send
 * never claims anything.
 *
 * The pieces: {@link SqliteWriteBatch} (sends and acks), {@link SqliteClaimPump} (claims into an
 * inbox), {@link claimedDelivery} (ack and nack of one delivery), `sqlite-recover.ts` (rows of dead
 * consumers, dead letters).
 *
 * @typeParam Out - the messages this side sends
 * @typeParam In - the messages this side receives
 */
export class SqliteQueue<Out = unknown, In = Out> implements Channel<Out, In>, AckableReceiver<In> {
  /** This consumer's name, as written in `claimed_by`: `<pid>-<start>-<n>`. */
  readonly consumer: string;
  private readonly db: SqliteConnection;
  private readonly path: string;
  private readonly codec: Codec<Out>;
  private readonly recvQueue: string;
  private readonly options: SqliteQueueOptions<Out>;
  private readonly stmts: QueueStatements;
  private readonly writes: SqliteWriteBatch;
  private readonly pump: SqliteClaimPump<In>;
  private readonly deliveryContext: DeliveryContext<In>;
  private closing: Promise<void> | undefined;

  /**
   * @param path - the database file (created owner-only when missing)
   * @param queues - the queue this side sends to and the one it receives from
   * @param options - codec, durability, timeouts, wake-ups
   */
  constructor(path: string, queues: { send: string; recv: string }, options: SqliteQueueOptions<Out> = {}) {
    for (const q of [queues.send, queues.recv]) {
      if (typeof q !== 'string' || q.length === 0) {
        throw new IpcError('ERR_INVALID_ARGUMENT', 'a queue name must be a non-empty string');
      }
    }
    const visibility = positive(options.visibilityTimeout ?? 30_000, 'visibilityTimeout');
    const maxAttempts = positive(options.maxAttempts ?? 5, 'maxAttempts');
    const prefetch = positive(options.prefetch ?? 32, 'prefetch');
    this.codec = resolveCodec(options.codec);
    this.options = options;
    this.recvQueue = queues.recv;
    if (typeof path !== 'string' || path.length === 0 || path === ':memory:') {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'a SQLite queue needs a database file path');
    }
    this.path = resolvePath(path);
    this.db = openQueueDatabase(this.path, options);
    this.stmts = prepareQueueStatements(this.db);
    consumerCounter++;
    this.consumer = `${formatIdentity(selfIdentity())}-${consumerCounter}`;
    this.writes = new SqliteWriteBatch(this.db, this.stmts, this.path, queues.send, this.consumer);
    const isClosing = (): boolean => this.closing !== undefined;
    this.pump = new SqliteClaimPump<In>({
      db: this.db,
      stmts: this.stmts,
      path: this.path,
      queue: this.recvQueue,
      consumer: this.consumer,
      codec: this.codec as unknown as Codec<In>,
      visibility,
      maxAttempts,
      prefetch,
      watch: options.watch,
      pollInterval: options.pollInterval,
      isClosing,
      recoverStale: () => this.recoverStale(),
    });
    this.deliveryContext = {
      pump: this.pump,
      writes: this.writes,
      stmts: this.stmts,
      path: this.path,
      consumer: this.consumer,
      maxAttempts,
      isClosing,
    };
  }

  /** The database file. */
  get file(): string {
    return this.path;
  }

  /** The SQLite library this queue uses (see the `driver` option). */
  get driver(): SqliteDriverName {
    return this.db.driver;
  }

  /** Enqueues one message (with `priority` and `delay`); resolves once the INSERT is committed. */
  send(message: Out, options: SqliteSendOptions = {}): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    try {
      throwIfAborted(options.signal);
      const priority = options.priority ?? 0;
      if (!Number.isSafeInteger(priority)) {
        throw new IpcError('ERR_INVALID_ARGUMENT', `priority must be an integer, got ${priority}`);
      }
      checkMs(options.delay, 'delay');
      const body = this.codec.encode(message);
      return this.writes.send({ body, priority, delay: options.delay ?? 0, kind: 'message' });
    } catch (err) {
      return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
    }
  }

  /** Receives the next message and acks it as it hands it out. */
  recv(options: RecvOptions = {}): Promise<In> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    return this.pump
      .start()
      .recv(options)
      .then((c) => this.take(c));
  }

  /** Receives the next message as a {@link Delivery} to `ack()` or `nack()`. */
  recvDelivery(options: RecvOptions = {}): Promise<Delivery<In>> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    return this.pump
      .start()
      .recv(options)
      .then((c) => claimedDelivery(c, this.deliveryContext));
  }

  /** Iterates deliveries to acknowledge by hand. */
  async *deliveries(): AsyncGenerator<Delivery<In>, void, undefined> {
    if (this.closing !== undefined) return;
    for await (const c of this.pump.start()) yield claimedDelivery(c, this.deliveryContext);
  }

  /** Iterates messages (auto-ack) until an end marker or `close()`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<In, void, undefined> {
    if (this.closing !== undefined) return;
    for await (const c of this.pump.start()) yield this.take(c);
  }

  /**
   * Makes the messages claimed by consumers whose process is gone visible again at once (instead
   * of after their visibility timeout). Returns how many. Receivers run it when they start.
   */
  recoverStale(): number {
    return recoverStaleClaims(this.stmts, this.path);
  }

  /** The dead-lettered messages of the receiving queue (oldest first, at most `limit`, default 100), decoded where possible. */
  deadLetters(limit = 100): DeadLetter<In>[] {
    return readDeadLetters(this.stmts, this.recvQueue, this.codec as unknown as Codec<In>, limit);
  }

  /**
   * Commits pending sends (and the end marker, with `end`), gives back claimed messages not yet
   * acked (prefetched or delivered), and closes the database connection. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.options.end === true) {
        await this.writes
          .send({ body: new Uint8Array(0), priority: END_PRIORITY, delay: 0, kind: 'end' })
          .catch(() => {});
      }
      this.writes.flush();
      this.pump.close();
      this.db.close();
    })();
    return this.closing;
  }

  /** Same as {@link SqliteQueue.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Auto-ack: the message is acked (batched) as it is handed out. */
  private take(c: Claimed<In>): In {
    this.pump.taken(c.id);
    this.writes.ackLater(c.id, c.attempt);
    return c.message;
  }
}

function positive(value: number, name: string): number {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
