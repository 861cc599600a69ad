import { IpcError } from '@ipc/core';
import { openBetterSqlite3 } from './sqlite-driver-better-sqlite3.js';
import { openNodeSqlite, hasNodeSqlite } from './sqlite-driver-node-sqlite.js';

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

/**
 * Opens `path` with the requested library, or with the best one available: `node:sqlite` where
 * Node has it, else `better-sqlite3` where the user installed it. Throws `ERR_UNSUPPORTED` saying
 * what to add when neither is there.
 */
export function openSqliteConnection(path: string, driver?: SqliteDriverName): SqliteConnection {
  if (driver !== undefined && driver !== 'node:sqlite' && driver !== 'better-sqlite3') {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `driver must be 'node:sqlite' or 'better-sqlite3', got ${String(driver)}`,
    );
  }
  if (driver === 'node:sqlite' || (driver === undefined && hasNodeSqlite())) {
    const db = openNodeSqlite(path);
    if (db !== undefined) return db;
    throw new IpcError(
      'ERR_UNSUPPORTED',
      `node:sqlite is not available in Node ${process.versions.node}: use Node >= 22.13 ` +
        '(22.5–22.12: start node with --experimental-sqlite), or run `npm install better-sqlite3`',
    );
  }
  const db = openBetterSqlite3(path);
  if (db !== undefined) return db;
  throw new IpcError(
    'ERR_UNSUPPORTED',
    `the SQLite queue needs node:sqlite (Node >= 22.13; this is Node ${process.versions.node}) ` +
      'or the better-sqlite3 package: run `npm install better-sqlite3`, or use Node >= 22.13',
  );
}
