import { describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tempDir, uniqueName } from '@ipc/core/testing';

jest.setTimeout(120_000);

const packageDir = join(__dirname, '..');
const repoModules = join(packageDir, '..', '..', 'node_modules');
const AMQP_URL = process.env.IPC_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * A user's install layout in a temp folder, outside the repository: @ipc/mq's built package next
 * to @ipc/core and only the peer libraries named in `peers` (linked from the repository's install).
 */
function installLayout(dir: string, peers: ('zeromq' | 'amqplib')[]): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@ipc', 'mq'), { recursive: true });
  cpSync(join(packageDir, 'dist'), join(modules, '@ipc', 'mq', 'dist'), { recursive: true });
  cpSync(join(packageDir, 'package.json'), join(modules, '@ipc', 'mq', 'package.json'));
  symlinkSync(join(packageDir, '..', 'core'), join(modules, '@ipc', 'core'));
  symlinkSync(join(packageDir, '..', 'kit'), join(modules, '@ipc', 'kit'));
  for (const peer of peers) symlinkSync(join(repoModules, peer), join(modules, peer));
}

/** Runs an ES module in `dir`; returns the JSON object it prints last. */
function runScript(dir: string, source: string): Record<string, unknown> {
  const script = join(dir, 'use.mjs');
  writeFileSync(script, source);
  const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
}

/** Whether `name` resolves from @ipc/mq's folder in the layout. */
function resolvable(dir: string, name: string): boolean {
  try {
    createRequire(join(dir, 'node_modules', '@ipc', 'mq', 'package.json')).resolve(name);
    return true;
  } catch {
    return false;
  }
}

describe('@ipc/mq entry points with one optional peer installed', () => {
  it('without zeromq: @ipc/mq and @ipc/mq/amqp work, @ipc/mq/zmq use fails with ERR_UNSUPPORTED naming the fix', () => {
    const dir = tempDir('ipc-mq-test-');
    try {
      installLayout(dir.path, ['amqplib']);
      expect(resolvable(dir.path, 'zeromq')).toBe(false);
      expect(resolvable(dir.path, 'amqplib')).toBe(true);
      const queue = uniqueName('ipc-mq-peers');
      const out = runScript(
        dir.path,
        `import { IpcError } from '@ipc/mq';
         import * as amqp from '@ipc/mq/amqp';
         import * as zmq from '@ipc/mq/zmq';
         const conn = await amqp.connect(${JSON.stringify(AMQP_URL)});
         const q = await conn.queue(${JSON.stringify(queue)}, { durable: false, autoDelete: true });
         const rx = await q.receiver();
         await q.sender().send({ n: 7 });
         const received = await rx.recv({ timeout: 30000 });
         await rx.close();
         await q.delete();
         await conn.close();
         let failure;
         try { await zmq.pull(${JSON.stringify(`ipc://${join(dir.path, 'jobs.sock')}`)}); }
         catch (err) { failure = { typed: err instanceof IpcError, code: err.code, message: err.message }; }
         console.log(JSON.stringify({ received, failure }));`,
      );
      expect(out.received).toEqual({ n: 7 });
      expect(out.failure).toEqual({
        typed: true,
        code: 'ERR_UNSUPPORTED',
        message: expect.stringContaining('npm install zeromq'),
      });
      expect(readdirSync(dir.path).sort()).toEqual(['node_modules', 'use.mjs']); // no socket file made
    } finally {
      dir.remove();
    }
  });

  it('without amqplib: @ipc/mq/zmq works, amqp.connect fails with ERR_UNSUPPORTED naming the fix', () => {
    const dir = tempDir('ipc-mq-test-');
    try {
      installLayout(dir.path, ['zeromq']);
      expect(resolvable(dir.path, 'amqplib')).toBe(false);
      const endpoint = `ipc://${join(dir.path, 'jobs.sock')}`;
      const out = runScript(
        dir.path,
        `import { isIpcError } from '@ipc/mq';
         import * as amqp from '@ipc/mq/amqp';
         import * as zmq from '@ipc/mq/zmq';
         const rx = await zmq.pull(${JSON.stringify(endpoint)}, { endAfter: 1 });
         const tx = await zmq.push(${JSON.stringify(endpoint)}, { endOnClose: true });
         await tx.send({ n: 7 });
         const received = await rx.recv({ timeout: 30000 });
         await tx.close();
         await rx.close();
         let failure;
         try { await amqp.connect(${JSON.stringify(AMQP_URL)}); }
         catch (err) { failure = { typed: isIpcError(err), code: err.code, message: err.message }; }
         console.log(JSON.stringify({ received, failure }));`,
      );
      expect(out.received).toEqual({ n: 7 });
      expect(out.failure).toEqual({
        typed: true,
        code: 'ERR_UNSUPPORTED',
        message: expect.stringContaining('npm install amqplib'),
      });
    } finally {
      dir.remove();
    }
  });
});
