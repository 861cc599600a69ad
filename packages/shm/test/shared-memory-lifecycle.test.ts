import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { cleanupStale, SharedMemory } from '@ipc/shm';
import { FIXTURES, leftovers } from './helpers.js';

const exists = (name: string): boolean => existsSync(`/dev/shm/${name}`);

describe('SharedMemory', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('creates a zeroed 0600 segment that another mapping sees, and unlinks it on close', () => {
    const shm = SharedMemory.create(uniqueName(), 1000);
    expect(statSync(`/dev/shm/${shm.name}`).mode & 0o777).toBe(0o600);
    expect(shm.size).toBe(1000);
    expect(new Uint8Array(shm.buffer).every((b) => b === 0)).toBe(true);
    const other = SharedMemory.open(shm.name);
    expect(other.size).toBe(1000);
    new Float64Array(shm.buffer)[3] = Math.PI;
    expect(new Float64Array(other.buffer)[3]).toBe(Math.PI);
    other.close();
    expect(exists(shm.name)).toBe(true); // an opener does not unlink
    shm.close();
    shm.close();
    expect(exists(shm.name)).toBe(false);
    expect(() => shm.buffer).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });

  it('applies the requested mode, and unlinks with using', () => {
    let name: string;
    {
      using shm = SharedMemory.create(uniqueName(), 64, { mode: 0o640 });
      name = shm.name;
      expect(statSync(`/dev/shm/${name}`).mode & 0o777).toBe(0o640);
    }
    expect(exists(name)).toBe(false);
  });

  it('fails with typed errors: ERR_EXISTS, ERR_NOT_FOUND, ERR_INVALID_ARGUMENT', () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    expect(() => SharedMemory.create(shm.name, 64)).toThrow(expect.objectContaining({ code: 'ERR_EXISTS' }));
    expect(() => SharedMemory.open(uniqueName())).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    for (const bad of ['', 'a/b', '/', 'x'.repeat(300)]) {
      expect(() => SharedMemory.create(bad, 64)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    }
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(() => SharedMemory.create(uniqueName(), size)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    }
  });

  it('keeps a mapping usable after unlink; a new create then makes a different segment', () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    const words = new Int32Array(shm.buffer);
    words[0] = 42;
    shm.unlink();
    expect(exists(shm.name)).toBe(false);
    expect(words[0]).toBe(42);
    using again = SharedMemory.create(shm.name, 64);
    expect(new Int32Array(again.buffer)[0]).toBe(0);
    shm.close(); // must not unlink the new segment of the same name
    expect(exists(again.name)).toBe(true);
  });

  it('cleanupStale removes the segment of a creator killed with SIGKILL, and leaves live ones', async () => {
    const name = uniqueName();
    using live = SharedMemory.create(uniqueName(), 64);
    const child = spawn(process.execPath, [join(FIXTURES, 'create-and-die.mjs'), name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout, 'data');
    expect(cleanupStale()).not.toContain(name); // its creator still runs
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(exists(name)).toBe(true);
    expect(cleanupStale()).toContain(name);
    expect(exists(name)).toBe(false);
    expect(exists(live.name)).toBe(true);
  });

  it("cleanupStale keeps a 'users' segment while a process has it open after its creator was killed", async () => {
    const name = uniqueName();
    const child = spawn(process.execPath, [join(FIXTURES, 'create-and-die.mjs'), name, 'users'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout, 'data');
    const user = SharedMemory.open(name);
    expect(user.lifetime).toBe('users');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(cleanupStale()).not.toContain(name); // this process still has it open
    expect(exists(name)).toBe(true);
    user.close(); // the last user closes (without unlinking: it did not create it)
    expect(exists(name)).toBe(true);
    expect(cleanupStale()).toContain(name);
    expect(exists(name)).toBe(false);
  });
});
