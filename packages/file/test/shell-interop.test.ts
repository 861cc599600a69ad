import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@ipc/core/testing';
import { spoolReceiver, spoolSender, sqliteQueue } from '@ipc/file';

jest.setTimeout(60_000);

const mode = (path: string): number => statSync(path).mode & 0o777;

function hasSqliteShell(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs SQL through Python's standard-library sqlite3 module (another language, no @ipc code). */
function python(db: string, sql: string): unknown[] {
  const script =
    'import json, sqlite3, sys\n' +
    'c = sqlite3.connect(sys.argv[1], timeout=10)\n' +
    'rows = c.execute(sys.argv[2]).fetchall()\n' +
    'c.commit()\n' +
    'print(json.dumps(rows))\n';
  return JSON.parse(execFileSync('python3', ['-c', script, db, sql], { encoding: 'utf8' })) as unknown[];
}

describe('spool folder and the shell', () => {
  it('receives a file that a shell command wrote and moved into new/ (json and raw)', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const json = join(dir.path, 'json');
      const bytes = join(dir.path, 'bytes');
      const rxJson = spoolReceiver(json, { codec: 'json' });
      const rxRaw = spoolReceiver(bytes, { codec: 'raw' });
      execFileSync('sh', [
        '-c',
        'printf \'{"job":7}\' > "$1/job.tmp" && mv "$1/job.tmp" "$1/json/new/job-7.json" && ' +
          'printf \'hello\\n\' > "$1/b.tmp" && mv "$1/b.tmp" "$1/bytes/new/hello.txt"',
        'sh',
        dir.path,
      ]);
      expect(await rxJson.recv({ timeout: 10_000 })).toEqual({ job: 7 });
      expect(Buffer.from((await rxRaw.recv({ timeout: 10_000 })) as Uint8Array).toString()).toBe('hello\n');
      await Promise.all([rxJson.close(), rxRaw.close()]);
      expect(readdirSync(join(json, 'new'))).toEqual([]);
      expect(readdirSync(join(json, 'cur'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('writes files that `cat` prints, owner-only (folders 0700, files 0600)', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const spool = join(dir.path, 'spool');
      const tx = spoolSender(spool, { codec: 'json' });
      await tx.send({ hello: 'world' });
      await tx.send([1, 2]);
      await tx.close();
      const out = execFileSync('sh', ['-c', 'for f in "$1"/new/*; do cat "$f"; echo; done', 'sh', spool], {
        encoding: 'utf8',
      });
      expect(out).toBe('{"hello":"world"}\n[1,2]\n');
      for (const sub of ['', 'tmp', 'new', 'cur']) expect(mode(join(spool, sub))).toBe(0o700);
      for (const f of readdirSync(join(spool, 'new'))) expect(mode(join(spool, 'new', f))).toBe(0o600);
      expect(readdirSync(join(spool, 'tmp'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('moves an undecodable file to dead/ and goes on with the next', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const spool = join(dir.path, 'spool');
      const rx = spoolReceiver(spool, { codec: 'json' });
      writeFileSync(join(dir.path, 'a'), '{not json');
      writeFileSync(join(dir.path, 'b'), '"fine"');
      execFileSync('sh', [
        '-c',
        'mv "$1/a" "$2/new/1-bad" && mv "$1/b" "$2/new/2-good"',
        'sh',
        dir.path,
        spool,
      ]);
      await expect(rx.recv({ timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_DECODE' });
      expect(await rx.recv({ timeout: 10_000 })).toBe('fine');
      expect(readdirSync(join(spool, 'dead'))).toEqual(['1-bad']);
      await rx.close();
    } finally {
      dir.remove();
    }
  });
});

describe('SQLite queue and other programs', () => {
  it('receives a row that Python inserted with a plain INSERT, and Python sees the state with a SELECT', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const db = join(dir.path, 'queue.db');
      const q = sqliteQueue(db, { name: 'jobs', codec: 'json' });
      expect(mode(db)).toBe(0o600);
      python(db, `INSERT INTO ipc_messages (queue, body) VALUES ('jobs', '{"from":"python"}')`);
      const d = await q.recvDelivery({ timeout: 10_000 });
      expect(d.message).toEqual({ from: 'python' });
      expect(python(db, "SELECT state, attempts FROM ipc_messages WHERE queue = 'jobs'")).toEqual([
        ['claimed', 1],
      ]);
      await d.ack();
      expect(python(db, 'SELECT COUNT(*) FROM ipc_messages')).toEqual([[0]]);
      await q.send({ to: 'python' });
      expect(python(db, "SELECT CAST(body AS TEXT), state FROM ipc_messages WHERE queue = 'jobs'")).toEqual([
        ['{"to":"python"}', 'ready'],
      ]);
      expect(mode(`${db}-wal`)).toBe(0o600);
      await q.close();
    } finally {
      dir.remove();
    }
  });

  (hasSqliteShell() ? it : it.skip)('receives a row that the sqlite3 shell inserted', async () => {
    const dir = tempDir('ipc-file-test-');
    const db = join(dir.path, 'queue.db');
    const q = sqliteQueue(db, { name: 'jobs', codec: 'json' });
    try {
      execFileSync('sqlite3', [
        db,
        `INSERT INTO ipc_messages (queue, body, priority) VALUES ('jobs', '[1,2,3]', 9)`,
      ]);
      expect(await q.recv({ timeout: 10_000 })).toEqual([1, 2, 3]);
    } finally {
      await q.close(); // commits the auto-ack
    }
    try {
      expect(
        execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM ipc_messages'], { encoding: 'utf8' }).trim(),
      ).toBe('0');
    } finally {
      dir.remove();
    }
  });
});
