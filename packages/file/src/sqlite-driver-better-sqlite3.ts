import { createRequire } from 'node:module';
import { IpcError } from '@ipc/core';
import type { SqliteConnection, SqliteValue } from './sqlite-connection.js';

/** The part of better-sqlite3's `Database` the queue uses (typed here so that no public type needs its types). */
interface BetterDatabase {
  readonly open: boolean;
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: SqliteValue[]): { changes: number };
    get(...params: SqliteValue[]): unknown;
    all(...params: SqliteValue[]): unknown[];
  };
  transaction<T>(fn: () => T): { (): T; immediate(): T };
  close(): void;
}

type BetterSqlite3 = new (path: string) => BetterDatabase;

let cached: BetterSqlite3 | null | undefined;

function betterSqlite3(): BetterSqlite3 | undefined {
  if (cached === undefined) {
    try {
      // loaded lazily: an optional peer dependency, resolved from this package's location
      cached = createRequire(import.meta.url)('better-sqlite3') as BetterSqlite3;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw err;
      cached = null;
    }
  }
  return cached ?? undefined;
}

/** Opens `path` with better-sqlite3; `undefined` when the package is not installed. */
export function openBetterSqlite3(path: string): SqliteConnection | undefined {
  const Database = betterSqlite3();
  if (Database === undefined) return undefined;
  let db: BetterDatabase;
  try {
    db = new Database(path);
  } catch (err) {
    const text = String((err as { message?: unknown }).message ?? err);
    if ((err as { code?: unknown }).code === 'ERR_DLOPEN_FAILED' || text.includes('bindings file')) {
      // installed with install scripts off, or built for another Node
      throw new IpcError(
        'ERR_UNSUPPORTED',
        `better-sqlite3 is installed but its native addon does not load (${text}): run ` +
          '`npm rebuild better-sqlite3` (allow its install script), or use Node >= 22.13 and node:sqlite',
        { cause: err },
      );
    }
    throw err;
  }
  return {
    driver: 'better-sqlite3',
    get open() {
      return db.open;
    },
    exec: (sql) => db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    transaction: (fn, mode = 'deferred') =>
      mode === 'immediate' ? db.transaction(fn).immediate() : db.transaction(fn)(),
    close: () => db.close(),
  };
}
