/**
 * Which SQLite library the queue uses: `node:sqlite` (built into Node >= 22.13, no native
 * dependency) or `better-sqlite3` (an optional peer dependency the user installs, for Node 20).
 */
export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

/** One prepared statement; parameters are bound by position. */
export interface SqliteStatement {
  /** Runs the statement; `changes` is the number of rows it changed. */
  run(...params: SqliteValue[]): { changes: number };
  /** The first row, or `undefined`. */
  get(...params: SqliteValue[]): unknown;
  /** Every row. */
  all(...params: SqliteValue[]): unknown[];
}

/** A value bound to a statement parameter. */
export type SqliteValue = string | number | bigint | Uint8Array | null;

/** One open connection, the small part of a SQLite library the queue needs. */
export interface SqliteConnection {
  /** Which library this connection comes from. */
  readonly driver: SqliteDriverName;
  /** False once closed. */
  readonly open: boolean;
  /** Runs SQL text (several statements, no parameters, results ignored). */
  exec(sql: string): void;
  /** Compiles one statement. */
  prepare(sql: string): SqliteStatement;
  /**
   * Runs `fn` in a transaction (`BEGIN` or `BEGIN IMMEDIATE`), commits when it returns and rolls
   * back when it throws.
   */
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
  /** Closes the connection. Idempotent. */
  close(): void;
}
