import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Mutex } from '@ipc/core';
import { uniqueName } from '@ipc/core/testing';
import { SharedMemory } from '@ipc/shm';
import { FIXTURES, leftovers, runNode } from './helpers.js';

function holder(name: string): { ready: Promise<void>; child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, [join(FIXTURES, 'hold-mutex.mjs'), name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('held') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited early (${String(code)})`)));
  });
  return { ready, child };
}

describe('a cross-process Mutex in a named segment', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('recovers from an owner killed with SIGKILL: ERR_OWNER_DEAD once, then the lock works', async () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    const mutex = new Mutex(new Int32Array(shm.buffer, 0, Mutex.WORDS), { strategy: shm.waitStrategy() });
    const { ready, child } = holder(shm.name);
    await ready;
    expect(mutex.owner).not.toBe(0);
    expect(mutex.tryAcquire()).toBeUndefined(); // a live owner holds it
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await expect(mutex.acquire({ timeout: 1000 })).rejects.toMatchObject({ code: 'ERR_OWNER_DEAD' });
    const guard = await mutex.acquire({ timeout: 1000 });
    expect(mutex.owner).toBe(shm.waitStrategy().selfId);
    guard.release();
    expect(mutex.owner).toBe(0);
  });

  it('hands the lock over when another process releases it (futex wake across processes)', async () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    const mutex = new Mutex(new Int32Array(shm.buffer, 0, Mutex.WORDS), { strategy: shm.waitStrategy() });
    const done = runNode('hold-mutex.mjs', [shm.name, '300']);
    while (mutex.owner === 0) await new Promise((r) => setTimeout(r, 5));
    const guard = await mutex.acquire({ timeout: 5000 });
    expect(mutex.owner).toBe(shm.waitStrategy().selfId);
    guard.release();
    expect(await done).toBe('held\n');
  });

  it('gives each process its own owner id, and no id outlives its slot generation', () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    using again = SharedMemory.open(shm.name);
    const strategy = shm.waitStrategy();
    expect(again.waitStrategy().selfId).toBe(strategy.selfId); // one id per process and segment
    expect(strategy.selfId).toBeGreaterThan(0);
    expect(strategy.isAlive(strategy.selfId)).toBe(true);
    expect(strategy.isAlive(strategy.selfId + 256)).toBe(false); // same slot, another generation
    expect(strategy.isAlive(strategy.selfId + 1)).toBe(false); // an unclaimed slot
  });

  it('refuses a wait strategy for a segment it did not create (no owner registry)', async () => {
    const name = uniqueName();
    await runPython(name);
    using shm = SharedMemory.open(name);
    expect(() => shm.waitStrategy()).toThrow(expect.objectContaining({ code: 'ERR_UNSUPPORTED' }));
    shm.unlink();
  });
});

function runPython(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const code = [
      'from multiprocessing import shared_memory, resource_tracker',
      `s = shared_memory.SharedMemory(${JSON.stringify(name)}, create=True, size=64)`,
      'resource_tracker.unregister(s._name, "shared_memory")',
      's.close()',
    ].join('\n');
    const child = spawn('python3', ['-c', code], { stdio: 'inherit' });
    child.on('exit', (c) => (c === 0 ? resolve('') : reject(new Error(`python exited ${String(c)}`))));
  });
}
