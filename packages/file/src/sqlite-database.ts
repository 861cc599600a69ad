import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { IpcError, toIpcError } from '@ipc/core';
import { SCHEMA } from './sqlite-schema.js';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

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
}

/**
 * Opens (creating, owner-only 0600, when missing) a queue database in WAL mode with the schema.
 * SQLite gives the `-wal` and `-shm` files the database file's permissions.
 */
export function openQueueDatabase(path: string, options: SqliteConnectionOptions = {}): SqliteDatabase {
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
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${busyTimeout}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.fsync === false ? 'NORMAL' : 'FULL'}`);
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    db?.close();
    throw sqliteError(err, `cannot open the queue database ${path}`);
  }
}

/** Maps a better-sqlite3 error: `SQLITE_BUSY` → `ERR_TIMEOUT`, `SQLITE_CANTOPEN` → `ERR_NOT_FOUND`, others → `ERR_INTERNAL`. */
export function sqliteError(err: unknown, context: string): IpcError {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
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
