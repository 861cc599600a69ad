import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShareableList } from '@ipc/shm';
import { FIXTURES, leftovers, run } from './helpers.js';

const fixture = join(FIXTURES, 'python-shareable-list.py');

function python(args: string[]) {
  const child = spawn('python3', [fixture, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const next = async (): Promise<unknown> => {
    const r = await lines.next();
    if (r.done === true) throw new Error(`python ended: ${stderr}`);
    return JSON.parse(r.value) as unknown;
  };
  return { child, exited, next, stderr: () => stderr };
}

const bytes = (hex: string) => ({ bytes: hex });

describe("Python's multiprocessing.shared_memory.ShareableList from Node (@ipc/shm ShareableList)", () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('reads a list Python created, by name; Python sees what Node wrote', async () => {
    const py = python(['create']);
    try {
      const made = (await py.next()) as { name: string; format: string; items: unknown[] };
      using list = ShareableList.open(made.name);
      expect(list.length).toBe(10);
      expect(list.format).toBe(made.format);
      expect(list.toArray()).toEqual([
        42,
        -(2n ** 63n),
        2n ** 63n - 1n,
        3.25,
        true,
        false,
        null,
        'héllo',
        Buffer.from('\x00bytes', 'latin1'),
        'x'.repeat(20),
      ]);
      list.set(0, 43);
      list.set(1, 2n ** 62n);
      list.set(2, 2);
      list.set(3, 2); // a float slot stays a float
      list.set(4, null);
      list.set(6, 'now str'); // an 8-byte slot takes up to 8 bytes of text
      list.set(7, 'ok ✓');
      list.set(8, Buffer.from([1, 2, 3]));
      list.set(-1, 'y'.repeat(24));
      // What no ShareableList can hold, or what does not fit the item's room: typed errors, nothing written.
      for (const [i, v] of [
        [7, 'z'.repeat(17)],
        [0, 2n ** 63n],
        [0, {}],
        [0, [1]],
        [0, undefined],
        [8, Buffer.from([1, 0])],
        [10, 1],
        [-11, 1],
        [0.5, 1],
      ] as [number, never][]) {
        expect(() => list.set(i, v)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
      }
      py.child.stdin.write('check\n');
      const after = (await py.next()) as { format: string; items: unknown[] };
      expect(after.items).toEqual([
        43,
        2 ** 62,
        2,
        2,
        null,
        false,
        'now str',
        'ok ✓',
        bytes('010203'),
        'y'.repeat(24),
      ]);
      expect(after.format).toBe(list.format);
      expect(after.format).toBe('qqqd' + 'xxxxxx?x' + 'xxxxxxx?' + '8s8s8s24s');
      const [code] = await py.exited;
      expect(py.stderr()).toBe('');
      expect(code).toBe(0);
    } finally {
      if (py.child.exitCode === null) py.child.kill('SIGKILL');
    }
  }, 60_000);

  it('creates a list Python opens by name and edits', async () => {
    const name = uniqueName();
    using list = ShareableList.create(name, [7, 'seven', 1.5, Buffer.from('b'), false, null]);
    expect(list.format).toBe('q8sd8sxxxxxxx?xxxxxx?x');
    const out = (await run('python3', [fixture, 'edit', name])).trim().split('\n');
    expect(JSON.parse(out[0] as string)).toEqual([7, 'seven', 1.5, bytes('62'), false, null]);
    expect(JSON.parse(out[1] as string)).toEqual([8, 'py', null, bytes('0102'), 2.5, null]);
    expect(list.toArray()).toEqual([8, 'py', null, Buffer.from([1, 2]), 2.5, null]);
  }, 60_000);

  it('both sides change the list while the other watches (200 rounds of ping / pong)', async () => {
    const name = uniqueName();
    using list = ShareableList.create(name, [0, 0, 'py-000']);
    const py = python(['watch', name]);
    try {
      for (let i = 1; i <= 200; i++) {
        list.set(0, i);
        while (list.get(1) !== i) {
          if (py.child.exitCode !== null) throw new Error(`python exited: ${py.stderr()}`);
          await new Promise((r) => setTimeout(r, 1));
        }
        expect(list.get(2)).toBe(`py-${i}`);
      }
      list.set(0, -1);
      const [code] = await py.exited;
      expect(py.stderr()).toBe('');
      expect(code).toBe(0);
    } finally {
      if (py.child.exitCode === null) py.child.kill('SIGKILL');
    }
  }, 120_000);

  it('refuses a segment that is not a ShareableList with ERR_DECODE', async () => {
    const name = uniqueName();
    await run('python3', [
      '-c',
      [
        'from multiprocessing import resource_tracker, shared_memory',
        `s = shared_memory.SharedMemory(${JSON.stringify(name)}, create=True, size=64)`,
        'resource_tracker.unregister(s._name, "shared_memory")',
        's.buf[:8] = (10**6).to_bytes(8, "little")',
        's.close()',
      ].join('\n'),
    ]);
    try {
      expect(() => ShareableList.open(name)).toThrow(expect.objectContaining({ code: 'ERR_DECODE' }));
    } finally {
      await run('python3', [
        '-c',
        `import _posixshmem; _posixshmem.shm_unlink(${JSON.stringify('/' + name)})`,
      ]);
    }
  });
});
