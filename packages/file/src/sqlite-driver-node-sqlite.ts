import type { SqliteConnection, SqliteStatement, SqliteValue } from './sqlite-connection.js';

/** The part of `node:sqlite`'s `DatabaseSync` the queue uses (typed here: Node 20's types lack it). */
interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: SqliteValue[]): { changes: number | bigint };
    get(...params: SqliteValue[]): unknown;
    all(...params: SqliteValue[]): unknown[];
  };
  close(): void;
}

type NodeSqliteModule = { DatabaseSync: new (path: string) => DatabaseSync };

let cached: NodeSqliteModule | null | undefined;

function nodeSqlite(): NodeSqliteModule | undefined {
  if (cached === undefined) {
    try {
      // undefined on Node 20, throws on 22.5–22.12 without --experimental-sqlite
      cached = (process.getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined) ?? null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

/** Whether this Node has `node:sqlite` (Node >= 22.13, or 22.5+ with `--experimental-sqlite`). */
export function hasNodeSqlite(): boolean {
  return nodeSqlite() !== undefined;
}

/** Opens `path` with `node:sqlite`; `undefined` when this Node does not have it. */
export function openNodeSqlite(path: string): SqliteConnection | undefined {
  const mod = nodeSqlite();
  if (mod === undefined) return undefined;
  const db = new mod.DatabaseSync(path);
  let open = true;
  const connection: SqliteConnection = {
    driver: 'node:sqlite',
    get open() {
      return open;
    },
    exec: (sql) => db.exec(sql),
    prepare(sql): SqliteStatement {
      const stmt = db.prepare(sql);
      return {
        run: (...params) => ({ changes: Number(stmt.run(...params).changes) }),
        get: (...params) => stmt.get(...params),
        all: (...params) => stmt.all(...params),
      };
    },
    transaction(fn, mode = 'deferred') {
      db.exec(mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      let result;
      try {
        result = fn();
      } catch (err) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // SQLite already rolled it back
        }
        throw err;
      }
      db.exec('COMMIT');
      return result;
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
  return connection;
}
