import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  formatIdentity,
  isProcessAlive,
  parseIdentity,
  processStartTime,
  selfIdentity,
  selfStartTime,
} from '@ipc/kit';

/** The state letter of `/proc/<pid>/stat` (field 3). */
function state(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

const parents: ChildProcess[] = [];
afterEach(async () => {
  for (const p of parents.splice(0)) {
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGKILL');
      await once(p, 'exit');
    }
  }
});

/** Starts a python parent that forks a child it never reaps; returns the child's pid. */
async function zombieParent(): Promise<{ parent: ChildProcess; child: number }> {
  const parent = spawn('python3', [join(__dirname, 'fixtures', 'zombie-parent.py')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  parents.push(parent);
  const [line] = (await once(parent.stdout, 'data')) as [Buffer];
  return { parent, child: Number(line.toString().trim()) };
}

describe('process identity', () => {
  it('this process is alive under its own identity, and its text form parses back', () => {
    const self = selfIdentity();
    expect(self.pid).toBe(process.pid);
    expect(self.start).toBeGreaterThan(0);
    expect(selfStartTime()).toBe(self.start);
    expect(isProcessAlive(self.pid, self.start)).toBe(true);
    expect(parseIdentity(`${formatIdentity(self)}-rest`)).toEqual(self);
  });

  it('a live child is alive; the same pid with another start time (a reused pid) is not', async () => {
    const { child } = await zombieParent();
    const start = processStartTime(child);
    expect(start).toBeGreaterThan(0);
    expect(isProcessAlive(child, start!)).toBe(true);
    expect(isProcessAlive(child, start! + 1)).toBe(false);
    expect(isProcessAlive(child, start! - 1)).toBe(false);
    expect(isProcessAlive(child, 0)).toBe(true); // start unknown: the pid alone decides
  });

  it('a zombie (exited, never reaped by its parent) is not alive', async () => {
    const { parent, child } = await zombieParent();
    const start = processStartTime(child)!;
    parent.stdin!.end('x'); // the child reads it and exits; the parent does not wait() for it
    while (state(child) !== 'Z') await new Promise((r) => setTimeout(r, 10));
    expect(processStartTime(child)).toBeUndefined();
    expect(isProcessAlive(child, start)).toBe(false);
    expect(isProcessAlive(child, 0)).toBe(false);
    expect(isProcessAlive(parent.pid!, processStartTime(parent.pid!)!)).toBe(true);
  });

  it('a pid that does not exist, and pids that cannot be, are not alive; bad text does not parse', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await once(gone, 'exit');
    expect(isProcessAlive(gone.pid!, 0)).toBe(false);
    for (const pid of [0, -1, 1.5, Number.NaN]) expect(isProcessAlive(pid, 0)).toBe(false);
    for (const text of ['', 'abc', '12', '-1-2', `${'9'.repeat(20)}-1`]) {
      expect(parseIdentity(text)).toBeUndefined();
    }
  });
});
