import { IpcError } from '@ipc/core';
import { openBetterSqlite3 } from './sqlite-driver-better-sqlite3.js';
import { openNodeSqlite, hasNodeSqlite } from './sqlite-driver-node-sqlite.js';
import type { SqliteConnection, SqliteDriverName } from './sqlite-connection.js';

export type {
  SqliteConnection,
  SqliteDriverName,
  SqliteStatement,
  SqliteValue,
} from './sqlite-connection.js';

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
