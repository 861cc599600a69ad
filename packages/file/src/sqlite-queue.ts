import { basename, dirname, resolve as resolvePath } from 'node:path';
import {
  checkMs,
  IpcError,
  isIpcError,
  resolveCodec,
  throwIfAborted,
  toIpcError,
  type Channel,
  type Codec,
  type CodecOption,
  type RecvOptions,
  type SendOptions,
  nackDelay,
} from '@ipc/core';
import { Inbox } from '@ipc/kit';
import type { AckableReceiver, Delivery, NackOptions } from './delivery.js';
import { watchFolder, type FolderWatch } from './folder-watch.js';
import { formatIdentity, isProcessAlive, parseIdentity, selfIdentity } from '@ipc/kit';
import { openQueueDatabase, sqliteError, type SqliteConnectionOptions } from './sqlite-database.js';
import type { SqliteConnection, SqliteDriverName } from './sqlite-driver.js';
import { END_PRIORITY } from './sqlite-schema.js';
import { notifyLocal, onLocal } from './sqlite-wake.js';

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

interface Row {
  id: number;
  body: unknown;
  attempts: number;
  kind: string;
}

interface Claimed<T> {
  id: number;
  attempt: number;
  message: T;
}

interface PendingSend {
  body: Uint8Array;
  priority: number;
  delay: number;
  kind: 'message' | 'end';
  resolve: () => void;
  reject: (err: unknown) => void;
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
 * @typeParam Out - the messages this side sends
 * @typeParam In - the messages this side receives
 */
export class SqliteQueue<Out = unknown, In = Out> implements Channel<Out, In>, AckableReceiver<In> {
  /** This consumer's name, as written in `claimed_by`: `<pid>-<start>-<n>`. */
  readonly consumer: string;
  private readonly db: SqliteConnection;
  private readonly path: string;
  private readonly codec: Codec<Out>;
  private readonly sendQueue: string;
  private readonly recvQueue: string;
  private readonly visibility: number;
  private readonly maxAttempts: number;
  private readonly prefetch: number;
  private readonly options: SqliteQueueOptions<Out>;
  private readonly pendingSends: PendingSend[] = [];
  private readonly pendingAcks: { id: number; attempt: number; done?: (err?: unknown) => void }[] = [];
  private readonly held = new Map<number, { attempt: number; delivered: boolean }>();
  private readonly delays = new Map<number, NodeJS.Timeout>();
  private readonly stmts: ReturnType<SqliteQueue['prepare']>;
  private inbox: Inbox<Claimed<In>> | undefined;
  private watcher: FolderWatch | undefined;
  private unsubscribe: (() => void) | undefined;
  private nextTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private pumpScheduled = false;
  private paused = false;
  private ended = false;
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
    this.visibility = positive(options.visibilityTimeout ?? 30_000, 'visibilityTimeout');
    this.maxAttempts = positive(options.maxAttempts ?? 5, 'maxAttempts');
    this.prefetch = positive(options.prefetch ?? 32, 'prefetch');
    this.codec = resolveCodec(options.codec);
    this.options = options;
    this.sendQueue = queues.send;
    this.recvQueue = queues.recv;
    if (typeof path !== 'string' || path.length === 0 || path === ':memory:') {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'a SQLite queue needs a database file path');
    }
    this.path = resolvePath(path);
    this.db = openQueueDatabase(this.path, options);
    this.stmts = this.prepare();
    consumerCounter++;
    this.consumer = `${formatIdentity(selfIdentity())}-${consumerCounter}`;
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare(
        'INSERT INTO ipc_messages (queue, body, priority, visible_at, kind) VALUES (?, ?, ?, ?, ?)',
      ),
      peek: db.prepare(
        "SELECT 1 FROM ipc_messages WHERE queue = ? AND state <> 'dead' AND visible_at <= ? LIMIT 1",
      ),
      select: db.prepare(
        "SELECT id, body, attempts, kind FROM ipc_messages WHERE queue = ? AND state <> 'dead' AND visible_at <= ? ORDER BY priority DESC, id LIMIT ?",
      ),
      claim: db.prepare(
        "UPDATE ipc_messages SET state = 'claimed', claimed_by = ?, visible_at = ?, attempts = attempts + 1 WHERE id = ?",
      ),
      kill: db.prepare(
        "UPDATE ipc_messages SET state = 'dead', claimed_by = NULL, last_error = ? WHERE id = ?",
      ),
      remove: db.prepare('DELETE FROM ipc_messages WHERE id = ?'),
      ack: db.prepare('DELETE FROM ipc_messages WHERE id = ? AND claimed_by = ? AND attempts = ?'),
      release: db.prepare(
        "UPDATE ipc_messages SET state = 'ready', claimed_by = NULL, visible_at = ?, attempts = attempts - ? WHERE id = ? AND claimed_by = ?",
      ),
      nextVisible: db.prepare(
        "SELECT MIN(visible_at) AS t FROM ipc_messages WHERE queue = ? AND state <> 'dead'",
      ),
      owners: db.prepare("SELECT DISTINCT claimed_by AS owner FROM ipc_messages WHERE state = 'claimed'"),
      recoverOwner: db.prepare(
        "UPDATE ipc_messages SET state = 'ready', claimed_by = NULL, visible_at = ? WHERE state = 'claimed' AND claimed_by = ?",
      ),
      dead: db.prepare(
        "SELECT id, body, attempts, last_error FROM ipc_messages WHERE queue = ? AND state = 'dead' ORDER BY id LIMIT ?",
      ),
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
    let body: Uint8Array;
    try {
      throwIfAborted(options.signal);
      const priority = options.priority ?? 0;
      if (!Number.isSafeInteger(priority)) {
        throw new IpcError('ERR_INVALID_ARGUMENT', `priority must be an integer, got ${priority}`);
      }
      checkMs(options.delay, 'delay');
      const delay = options.delay ?? 0;
      body = this.codec.encode(message);
      return this.enqueue({ body, priority, delay, kind: 'message' });
    } catch (err) {
      return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
    }
  }

  private enqueue(item: Omit<PendingSend, 'resolve' | 'reject'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingSends.push({ ...item, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush()); // every send of this event-loop turn in one transaction
  }

  /** Commits queued sends and acks, each group in one transaction. */
  private flush(): void {
    this.flushScheduled = false;
    if (!this.db.open) return;
    const sends = this.pendingSends.splice(0);
    if (sends.length > 0) {
      const now = Date.now();
      try {
        this.db.transaction(() => {
          for (const s of sends) {
            this.stmts.insert.run(this.sendQueue, s.body, s.priority, now + s.delay, s.kind);
          }
        });
        for (const s of sends) s.resolve();
        notifyLocal(this.path);
      } catch (err) {
        const error = sqliteError(err, 'send');
        for (const s of sends) s.reject(error);
      }
    }
    const acks = this.pendingAcks.splice(0);
    if (acks.length > 0) {
      try {
        const changes = this.db.transaction(() =>
          acks.map((a) => this.stmts.ack.run(a.id, this.consumer, a.attempt).changes),
        );
        acks.forEach((a, i) =>
          a.done?.(
            changes[i] === 1
              ? undefined
              : new IpcError(
                  'ERR_TIMEOUT',
                  'the visibility timeout elapsed: the message was given to another consumer',
                ),
          ),
        );
      } catch (err) {
        const error = sqliteError(err, 'ack');
        for (const a of acks) a.done?.(error);
      }
    }
  }

  /** Receives the next message and acks it as it hands it out. */
  recv(options: RecvOptions = {}): Promise<In> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    return this.start()
      .recv(options)
      .then((c) => this.take(c));
  }

  /** Receives the next message as a {@link Delivery} to `ack()` or `nack()`. */
  recvDelivery(options: RecvOptions = {}): Promise<Delivery<In>> {
    if (this.closing !== undefined) return Promise.reject(closedError());
    return this.start()
      .recv(options)
      .then((c) => this.delivery(c));
  }

  /** Iterates deliveries to acknowledge by hand. */
  async *deliveries(): AsyncGenerator<Delivery<In>, void, undefined> {
    if (this.closing !== undefined) return;
    for await (const c of this.start()) yield this.delivery(c);
  }

  /** Iterates messages (auto-ack) until an end marker or `close()`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<In, void, undefined> {
    if (this.closing !== undefined) return;
    for await (const c of this.start()) yield this.take(c);
  }

  /**
   * Makes the messages claimed by consumers whose process is gone visible again at once (instead
   * of after their visibility timeout). Returns how many. Receivers run it when they start.
   */
  recoverStale(): number {
    const self = selfIdentity();
    let n = 0;
    try {
      for (const { owner } of this.stmts.owners.all() as { owner: string | null }[]) {
        if (owner === null) continue;
        const id = parseIdentity(owner);
        if (id === undefined) continue;
        const mine = id.pid === self.pid && id.start === self.start;
        if (mine || isProcessAlive(id.pid, id.start)) continue;
        n += this.stmts.recoverOwner.run(Date.now(), owner).changes;
      }
    } catch (err) {
      throw sqliteError(err, 'recoverStale');
    }
    if (n > 0) notifyLocal(this.path);
    return n;
  }

  /** The dead-lettered messages of the receiving queue (oldest first, at most `limit`, default 100), decoded where possible. */
  deadLetters(limit = 100): { id: number; attempts: number; error: string | null; message?: In }[] {
    const rows = this.stmts.dead.all(this.recvQueue, limit) as {
      id: number;
      body: unknown;
      attempts: number;
      last_error: string | null;
    }[];
    return rows.map((r) => {
      const out: { id: number; attempts: number; error: string | null; message?: In } = {
        id: r.id,
        attempts: r.attempts,
        error: r.last_error,
      };
      try {
        out.message = (this.codec as unknown as Codec<In>).decode(bodyBytes(r.body));
      } catch {
        // keep it undecoded
      }
      return out;
    });
  }

  /**
   * Commits pending sends (and the end marker, with `end`), gives back claimed messages not yet
   * acked (prefetched or delivered), and closes the database connection. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.options.end === true) {
        await this.enqueue({ body: new Uint8Array(0), priority: END_PRIORITY, delay: 0, kind: 'end' }).catch(
          () => {},
        );
      }
      this.flush();
      this.watcher?.close();
      this.unsubscribe?.();
      if (this.nextTimer !== undefined) clearTimeout(this.nextTimer);
      for (const timer of this.delays.values()) clearTimeout(timer);
      this.inbox?.close();
      try {
        const now = Date.now();
        this.db.transaction(() => {
          for (const [id, h] of this.held)
            this.stmts.release.run(now, h.delivered ? 0 : 1, id, this.consumer);
        });
      } catch {
        // the visibility timeout gives them back
      }
      this.held.clear();
      this.db.close();
    })();
    return this.closing;
  }

  /** Same as {@link SqliteQueue.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private start(): Inbox<Claimed<In>> {
    if (this.inbox !== undefined) return this.inbox;
    this.inbox = new Inbox<Claimed<In>>({
      highWaterMessages: this.prefetch,
      onFull: () => (this.paused = true),
      onRoom: () => {
        this.paused = false;
        this.schedulePump();
      },
    });
    const base = basename(this.path);
    this.watcher = watchFolder(dirname(this.path), () => this.schedulePump(), {
      watch: this.options.watch,
      pollInterval: this.options.pollInterval,
      filter: (name) => name === `${base}-wal` || name === base,
    });
    this.unsubscribe = onLocal(this.path, () => this.schedulePump());
    try {
      this.recoverStale();
    } catch {
      // the visibility timeout recovers them instead
    }
    this.schedulePump();
    return this.inbox;
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closing !== undefined || this.ended) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Claims up to the free prefetch in one BEGIN IMMEDIATE transaction. */
  private pump(): void {
    const inbox = this.inbox;
    if (inbox === undefined || this.paused || this.ended || this.closing !== undefined) return;
    const want = this.prefetch - this.held.size; // buffered plus delivered-but-unacked
    if (want <= 0) return;
    const now = Date.now();
    let rows: Row[];
    try {
      if (this.stmts.peek.get(this.recvQueue, now) === undefined) {
        this.armNextTimer();
        return;
      }
      rows = this.db.transaction(() => {
        const out: Row[] = [];
        let candidates = this.stmts.select.all(this.recvQueue, now, want) as Row[];
        while (candidates.length > 0) {
          for (const row of candidates) {
            if (row.attempts >= this.maxAttempts) {
              this.stmts.kill.run(`not acked after ${row.attempts} attempts`, row.id);
              continue;
            }
            this.stmts.claim.run(this.consumer, now + this.visibility, row.id);
            out.push({ ...row, attempts: row.attempts + 1 });
          }
          if (out.length > 0 || candidates.length < want) break;
          candidates = this.stmts.select.all(this.recvQueue, now, want) as Row[];
        }
        return out;
      }, 'immediate');
    } catch (err) {
      if (isIpcError(sqliteError(err, ''), 'ERR_TIMEOUT')) {
        this.schedulePump(); // another process holds the lock: try again on the next turn
        return;
      }
      inbox.fail(sqliteError(err, 'recv'));
      return;
    }
    for (const row of rows) this.deliverRow(inbox, row);
    if (rows.length > 0 && !this.paused && !this.ended) this.schedulePump();
    else if (rows.length === 0) this.armNextTimer();
  }

  private deliverRow(inbox: Inbox<Claimed<In>>, row: Row): void {
    if (row.kind === 'end') {
      this.stmts.remove.run(row.id);
      this.ended = true;
      this.watcher?.close();
      inbox.end();
      return;
    }
    const bytes = bodyBytes(row.body);
    let message: In;
    try {
      message = (this.codec as unknown as Codec<In>).decode(bytes);
    } catch (err) {
      const error = toIpcError(err, 'ERR_DECODE', `message ${row.id}`);
      try {
        this.stmts.kill.run(`undecodable: ${error.message}`, row.id);
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
      t = (this.stmts.nextVisible.get(this.recvQueue) as { t: number | null }).t;
    } catch {
      return; // the poll interval retries
    }
    if (t === null) return;
    this.nextTimer = setTimeout(
      () => {
        this.nextTimer = undefined;
        this.schedulePump();
      },
      Math.min(Math.max(t - Date.now() + 1, 0), 2 ** 31 - 1),
    );
  }

  private take(c: Claimed<In>): In {
    this.held.delete(c.id);
    if (this.held.size === this.prefetch - 1) this.schedulePump();
    this.pendingAcks.push({ id: c.id, attempt: c.attempt });
    this.scheduleFlush();
    return c.message;
  }

  private delivery(c: Claimed<In>): Delivery<In> {
    const h = this.held.get(c.id);
    if (h !== undefined) h.delivered = true;
    let settled = false;
    const settle = (): void => {
      if (settled) throw new IpcError('ERR_INVALID_STATE', 'this delivery was already acked or nacked');
      if (this.closing !== undefined) throw closedError();
      settled = true;
      this.held.delete(c.id);
      this.schedulePump(); // one more claim fits under the prefetch
    };
    return {
      message: c.message,
      attempt: c.attempt,
      ack: () => {
        try {
          settle();
        } catch (err) {
          return Promise.reject(err);
        }
        return new Promise<void>((resolve, reject) => {
          this.pendingAcks.push({
            id: c.id,
            attempt: c.attempt,
            done: (err) => (err === undefined ? resolve() : reject(toIpcError(err))),
          });
          this.scheduleFlush();
        });
      },
      nack: async (options: NackOptions = {}) => {
        const delay = nackDelay(options);
        settle();
        let changes: number;
        try {
          changes =
            options.requeue === false
              ? this.stmts.kill.run('nacked without requeue', c.id).changes
              : c.attempt >= this.maxAttempts
                ? this.stmts.kill.run(`nacked ${c.attempt} times`, c.id).changes
                : this.stmts.release.run(Date.now() + delay, 0, c.id, this.consumer).changes;
        } catch (err) {
          throw sqliteError(err, 'nack');
        }
        if (changes !== 1) {
          throw new IpcError(
            'ERR_TIMEOUT',
            'the visibility timeout elapsed: the message was given to another consumer',
          );
        }
        notifyLocal(this.path);
      },
    };
  }
}

function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typeof body === 'number' || typeof body === 'bigint') return Buffer.from(String(body), 'utf8');
  return new Uint8Array(0);
}

function positive(value: number, name: string): number {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function closedError(): IpcError {
  return new IpcError('ERR_CLOSED', 'the SQLite queue is closed');
}

/**
 * Opens one queue of a SQLite database file as a channel: `send` enqueues into `name`, `recv`
 * claims from `name`. Any number of processes can open the same file and queue.
 *
 * @example
 * ```ts
 * const q = sqliteQueue<{ job: number }>('/var/lib/app/queue.db', { name: 'jobs', codec: 'json' });
 * await q.send({ job: 1 }, { priority: 5 });
 * const d = await q.recvDelivery();
 * await d.ack();
 * ```
 */
export function sqliteQueue<T = unknown>(
  path: string,
  options: SqliteQueueOptions<T> & { name?: string | undefined } = {},
): SqliteQueue<T, T> {
  const name = options.name ?? 'default';
  return new SqliteQueue<T, T>(path, { send: name, recv: name }, options);
}

/**
 * A two-way conversation over two queues of one database file: this side sends into `send` and
 * receives from `recv` (the other side swaps them). `close()` leaves an end marker (the `end`
 * option, on by default here) so the other side's iteration ends after the last message.
 */
export function sqliteChannel<Out = unknown, In = Out>(
  path: string,
  options: SqliteQueueOptions<Out> & { send: string; recv: string },
): SqliteQueue<Out, In> {
  return new SqliteQueue<Out, In>(
    path,
    { send: options.send, recv: options.recv },
    { ...options, end: options.end ?? true },
  );
}
