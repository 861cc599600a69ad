import { closeSync, openSync } from 'node:fs';
import { IpcError, toIpcError } from '@ipc/core';
import { openSqliteConnection, type SqliteConnection, type SqliteDriverName } from './sqlite-driver.js';
import { SCHEMA } from './sqlite-schema.js';

/** Connection settings shared by the queue's sending and receiving sides. */
export interface SqliteConnectionOptions {
  /**
   * Commit durably (default true): `PRAGMA synchronous = FULL`, an fsync at every commit. With
   * false, `synchronous = NORMAL`: in WAL mode a process crash still loses nothing committed, a
   * power cut can lose the last commits (never corrupt the file).
   */
  fsync?: boolean | undefined;
  /** How long a statement waits for another process's write lock, in ms (`PRAGMA busy_timeout`, default 5000). It blocks the thread. */
  busyTimeout?: number | undefined;
  /**
   * The SQLite library (default: `node:sqlite` where Node has it, Node >= 22.13; else
   * `better-sqlite3`, which you then install yourself: `npm install better-sqlite3`).
   */
  driver?: SqliteDriverName | undefined;
}

/**
 * Opens (creating, owner-only 0600, when missing) a queue database in WAL mode with the schema.
 * SQLite gives the `-wal` and `-shm` files the database file's permissions.
 */
export function openQueueDatabase(path: string, options: SqliteConnectionOptions = {}): SqliteConnection {
  if (typeof path !== 'string' || path.length === 0 || path === ':memory:') {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'a SQLite queue needs a database file path');
  }
  const busyTimeout = options.busyTimeout ?? 5000;
  if (!(Number.isInteger(busyTimeout) && busyTimeout >= 0)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `busyTimeout must be a non-negative integer, got ${busyTimeout}`,
    );
  }
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EEXIST')
      throw toIpcError(err, 'ERR_INTERNAL', `cannot create ${path}`);
  }
  let db: SqliteConnection | undefined;
  try {
    db = openSqliteConnection(path, options.driver);
    db.exec(`PRAGMA busy_timeout = ${busyTimeout}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.fsync === false ? 'NORMAL' : 'FULL'}`);
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    db?.close();
    throw sqliteError(err, `cannot open the queue database ${path}`);
  }
}

/** SQLite's primary result codes by number (`node:sqlite` errors carry only the number, `errcode`). */
const primaryCodes: Readonly<Record<number, string>> = {
  3: 'SQLITE_PERM',
  5: 'SQLITE_BUSY',
  8: 'SQLITE_READONLY',
  14: 'SQLITE_CANTOPEN',
};

/** The SQLite result code name of an error of either driver (`SQLITE_BUSY`…), if any. */
function sqliteCode(err: unknown): string | undefined {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; errcode?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_')) return e.code; // better-sqlite3
  if (typeof e.errcode === 'number') return primaryCodes[e.errcode & 0xff] ?? `SQLITE_${e.errcode}`; // node:sqlite
  return undefined;
}

/** Maps a SQLite error: `SQLITE_BUSY` → `ERR_TIMEOUT`, `SQLITE_CANTOPEN` → `ERR_NOT_FOUND`, others → `ERR_INTERNAL`. */
export function sqliteError(err: unknown, context: string): IpcError {
  const code = sqliteCode(err);
  if (code !== undefined && code.startsWith('SQLITE_BUSY')) {
    return new IpcError('ERR_TIMEOUT', `${context}: the database stayed locked (busyTimeout)`, {
      cause: err,
      errno: code,
    });
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new IpcError('ERR_NOT_FOUND', `${context}: cannot open the database`, { cause: err, errno: code });
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new IpcError('ERR_PERMISSION', `${context}: ${String(err)}`, { cause: err, errno: code });
  }
  return toIpcError(err, 'ERR_INTERNAL', context);
}
