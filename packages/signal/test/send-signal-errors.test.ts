import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { isAlive, isSignalName, sendSignal, signalNumber, type SignalName } from '@ipc/signal';
import { killFixtures, startFixture, startProcess } from './helpers/fixture-process.js';
import { isRunning } from './helpers/proc-state.js';

afterEach(killFixtures);

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

/**
 * A world-readable copy of the built @ipc/signal (with @ipc/core, @ipc/kit and msgpackr) in a fresh temporary
 * folder, for a child running as another user: the checkout itself may sit under a 0700 folder that
 * user cannot enter. `remove` deletes the copy.
 */
function modulesForAnotherUser(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ipc-signal-nobody-'));
  const root = join(__dirname, '..', '..', '..', 'node_modules');
  const copy = (name: string, parts: string[] | undefined): void => {
    const from = realpathSync(join(root, name));
    const to = join(dir, 'node_modules', name);
    if (parts === undefined) cpSync(from, to, { recursive: true, dereference: true });
    else for (const part of parts) cpSync(join(from, part), join(to, part), { recursive: true });
  };
  copy('@ipc/signal', ['package.json', 'dist']);
  copy('@ipc/core', ['package.json', 'dist']);
  copy('@ipc/kit', ['package.json', 'dist']);
  copy('msgpackr', undefined);
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (isIpcError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('sendSignal and isAlive', () => {
  it('sendSignal to a dead pid is ERR_NOT_FOUND, and isAlive says false', async () => {
    const pid = await deadPid();
    expect(codeOf(() => sendSignal(pid, 'SIGTERM'))).toBe('ERR_NOT_FOUND');
    expect(codeOf(() => sendSignal({ group: pid }, 'SIGTERM'))).toBe('ERR_NOT_FOUND');
    expect(isAlive(pid)).toBe(false);
  });

  it('delivers a signal to a live process, which isAlive reports until it is gone', async () => {
    const child = startProcess('sleep', ['30']);
    expect(isAlive(child.pid)).toBe(true);
    sendSignal(child.pid, 'SIGTERM');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isAlive(child.pid)).toBe(false);
    expect(isAlive(process.pid)).toBe(true);
  });

  it('isAlive says false for a zombie: a child that exited and that its parent never reaps', async () => {
    // python3 forks a child that exits on a byte from stdin; the parent prints its pid and never wait()s.
    const script =
      'import os,time\npid=os.fork()\nif pid==0:\n  os.read(0,1); os._exit(0)\nprint(pid,flush=True)\ntime.sleep(600)';
    const parent = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const pid = Number(line.toString().trim());
      expect(isAlive(pid)).toBe(true);
      parent.stdin.end('x');
      while (isRunning(pid)) await new Promise((r) => setTimeout(r, 10));
      expect(existsSync(`/proc/${pid}`)).toBe(true); // still there, as a zombie
      expect(isAlive(pid)).toBe(false);
      expect(codeOf(() => sendSignal(pid, 'SIGTERM'))).toBeUndefined(); // kill(2) still finds it
    } finally {
      parent.kill('SIGKILL');
      await once(parent, 'exit');
    }
  });

  it('rejects an unknown signal name before sending anything', async () => {
    const child = startProcess('sleep', ['30']);
    expect(codeOf(() => sendSignal(child.pid, 'SIGNOPE' as SignalName))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => sendSignal(child.pid, 9 as unknown as SignalName))).toBe('ERR_INVALID_ARGUMENT');
    // A name Node's types know but Linux does not have.
    expect(codeOf(() => sendSignal(child.pid, 'SIGBREAK'))).toBe('ERR_INVALID_ARGUMENT');
    expect(isAlive(child.pid)).toBe(true);
  });

  it('refuses pids that kill(2) would read as "my group" or "everyone"', () => {
    for (const bad of [0, -1, -1234, 1.5, Number.NaN, '12', null]) {
      expect(codeOf(() => sendSignal(bad as number, 'SIGCONT'))).toBe('ERR_INVALID_ARGUMENT');
      expect(codeOf(() => sendSignal({ group: bad as number }, 'SIGCONT'))).toBe('ERR_INVALID_ARGUMENT');
      expect(codeOf(() => isAlive(bad as number))).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('names come from os.constants.signals', () => {
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('SIGINT')).toBe(2);
    expect(isSignalName('SIGUSR2')).toBe(true);
    expect(isSignalName('SIGFOO')).toBe(false);
    expect(isSignalName('toString')).toBe(false);
    expect(codeOf(() => signalNumber('SIGFOO' as SignalName))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('signals a whole process group with { group: pgid }', async () => {
    const leader = startFixture('group-leader.mjs', [], { detached: true });
    await leader.line('ready');
    sendSignal({ group: leader.pid }, 'SIGTERM');
    expect(await leader.exited).toEqual({ code: 0, signal: null });
    expect(leader.lines).toContain('leader got SIGTERM');
    expect(leader.lines.filter((l) => / SIGTERM$/.test(l) && l.startsWith('child '))).toHaveLength(2);
  });

  const root = process.getuid?.() === 0;
  (root ? it : it.skip)(
    'a process of another user is ERR_PERMISSION to send to, and alive to isAlive',
    async () => {
      const target = startProcess('sleep', ['30']);
      const copy = modulesForAnotherUser();
      try {
        const probe = startProcess(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `import { sendSignal, isAlive } from '@ipc/signal';
         let code = 'sent';
         try { sendSignal(${target.pid}, 'SIGTERM'); } catch (err) { code = err.code; }
         console.log(code + ' ' + isAlive(${target.pid}));`,
          ],
          { uid: 65534, gid: 65534, cwd: copy.dir },
        );
        const exited = await probe.exited;
        expect({ ...exited, stderr: probe.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
        expect(probe.lines).toEqual(['ERR_PERMISSION true']);
        expect(isAlive(target.pid)).toBe(true);
      } finally {
        copy.remove();
      }
    },
  );
});
