import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from '@jest/globals';
import { spawnChannel } from '@ipc/pipe';

const fixture = (name: string): string => join(__dirname, 'fixtures', name);

/** A Node child on the channel: sends 'hi', then runs `then` (code after the send). */
function nodeChild(then: string): ReturnType<typeof spawnChannel> {
  const code = `import('@ipc/pipe').then(async ({ parentChannel }) => { const c = parentChannel(); await c.send('hi'); ${then} })`;
  return spawnChannel(process.execPath, ['-e', code], { cwd: __dirname });
}

describe('a pipe tells a child that died from one that closed (issue 20, defect 8)', () => {
  it('fails with ERR_PEER_GONE when the child exits with code 3 between messages, without closing', async () => {
    const { channel, exited } = nodeChild('setTimeout(() => process.exit(3), 100);');
    expect(await channel.recv()).toBe('hi');
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    expect(await exited).toEqual({ code: 3, signal: null });
    await channel.close();
  });

  it('ends cleanly when the child exits with code 0 without closing', async () => {
    const { channel, exited } = nodeChild('setTimeout(() => process.exit(0), 100);');
    expect(await channel.recv()).toBe('hi');
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    expect(await exited).toEqual({ code: 0, signal: null });
    await channel.close();
  });

  it('ends cleanly when a running child closes its end', async () => {
    const { child, channel, exited } = nodeChild('await c.close(); setInterval(() => {}, 1000);');
    try {
      expect(await channel.recv()).toBe('hi');
      await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
      await exited;
      await channel.close();
    }
  });

  it('ends cleanly when a Python stdlib child closes (multiprocessing.connection) and exits', async () => {
    const { channel, exited } = spawnChannel('python3', [fixture('python-close.py')], { codec: 'json' });
    expect(await channel.recv()).toBe('bye');
    await expect(channel.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    expect(await exited).toEqual({ code: 0, signal: null });
    await channel.close();
  });

  const throughMiddle = async (mode: 'close' | 'wait'): Promise<string> => {
    const middle = spawn(process.execPath, [fixture('middle-parent.mjs'), mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const middleExit = once(middle, 'exit');
    const lines = createInterface({ input: middle.stdout })[Symbol.asyncIterator]();
    let grandchild: number | undefined;
    try {
      const ready = JSON.parse((await lines.next()).value as string) as { child: number };
      grandchild = ready.child;
      if (mode === 'wait') middle.kill('SIGKILL');
      const report = JSON.parse((await lines.next()).value as string) as { end: string };
      return report.end;
    } finally {
      if (middle.exitCode === null && middle.signalCode === null) middle.kill('SIGKILL');
      await middleExit;
      try {
        if (grandchild !== undefined) process.kill(grandchild, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  it('tells a forkChannel child that its parent was SIGKILLed between messages: ERR_PEER_GONE', async () => {
    expect(await throughMiddle('wait')).toBe('ERR_PEER_GONE');
  });

  it('tells a forkChannel child that its parent closed: a clean end', async () => {
    expect(await throughMiddle('close')).toBe('ERR_CLOSED');
  });
});
