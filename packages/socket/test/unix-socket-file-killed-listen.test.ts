import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { listen } from '@ipc/socket';

const KILLS = 30;

/** Starts the listen loop in a child; resolves once it is about to listen. */
async function startListenLoop(path: string) {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'listen-loop.mjs'), path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  for await (const line of createInterface({ input: child.stdout })) if (line === 'ready') break;
  return { child, exited };
}

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

const linux = process.platform === 'linux';

describe('Unix socket files: a process killed during listen() leaves nothing for good', () => {
  it(`the next listen() removes the bind folders of ${KILLS} processes SIGKILLed while listening`, async () => {
    const dir = tempDir();
    const path = join(dir.path, 'k.sock');
    try {
      let leftBehind = 0;
      for (let i = 0; i < KILLS; i++) {
        const loop = await startListenLoop(path);
        await new Promise((resolve) => setTimeout(resolve, 5 + ((i * 7) % 40)));
        loop.child.kill('SIGKILL');
        await loop.exited;
        if (readdirSync(dir.path).some((n) => n.startsWith('.ipc-'))) leftBehind++;
      }
      // Before the fix, a next listen() left these folders (13 of 30 kills in the run).
      const server = await listen(`unix://${path}`);
      expect(readdirSync(dir.path)).toEqual(['k.sock']);
      await server.close();
      expect(readdirSync(dir.path)).toEqual([]);
      // The kills did land inside listen() (else this test would prove nothing).
      expect(leftBehind).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  }, 180_000);

  (linux ? it : it.skip)(
    'never removes the bind folder of a process that still runs, even one with a reused pid it removes',
    async () => {
      const dir = tempDir();
      const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        const exited = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
        await once(exited, 'exit');
        const live = `.ipc-${sleeper.pid}-${startTime(sleeper.pid!)}-aB3dE6`;
        const reused = `.ipc-${sleeper.pid}-${Number(startTime(sleeper.pid!)) - 1}-aB3dE6`;
        const dead = `.ipc-${exited.pid}-12345-Zz9yY8`;
        const other = '.ipc-notours';
        for (const name of [live, reused, dead, other]) {
          mkdirSync(join(dir.path, name), { mode: 0o700 });
          writeFileSync(join(dir.path, name, 's'), '');
        }
        const server = await listen(`unix://${join(dir.path, 'x.sock')}`);
        await server.close();
        expect(readdirSync(dir.path).sort()).toEqual([live, other].sort());
      } finally {
        sleeper.kill('SIGKILL');
        dir.remove();
      }
    },
  );
});
