import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createFifo, openFifo } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();
const sh = promisify(execFile);
const writer = join(__dirname, 'fixtures', 'fifo-hold-writer.mjs');

/** Starts the writer child, reads its 3 messages, and lets `then` end it; returns how the receiver ended. */
async function session(mode: 'close' | 'wait', exclusive: boolean): Promise<string> {
  const dir = dirs.make();
  const fifo = await createFifo(dir.fifo('in'));
  const rx = await openFifo(fifo.path, 'r');
  const child = spawn(process.execPath, [writer, mode, fifo.path, exclusive ? '1' : '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    for (let i = 0; i < 3; i++) expect(await rx.recv()).toEqual({ i });
    await once(child.stdout, 'data');
    if (mode === 'wait') child.kill('SIGKILL');
    const end = await rx.recv().then(
      () => 'a message',
      (err: { code: string }) => err.code,
    );
    return end;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await rx.close();
    await fifo.remove();
    dir.remove();
  }
}

describe('a FIFO tells a writer that died from one that closed (issue 20, defect 8)', () => {
  for (const exclusive of [false, true]) {
    const label = exclusive ? 'exclusive' : 'shared-writer';
    it(`${label}: a writer SIGKILLed between messages gives ERR_PEER_GONE`, async () => {
      expect(await session('wait', exclusive)).toBe('ERR_PEER_GONE');
    });
    it(`${label}: a writer that closes ends the receiver cleanly`, async () => {
      expect(await session('close', exclusive)).toBe('ERR_CLOSED');
    });
  }

  it('a shell writer (`echo … > fifo`) still ends the receiver cleanly', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('sh'));
    const rx = await openFifo(fifo.path, 'r', { framing: 'lines', codec: 'json' });
    await sh('sh', ['-c', `echo '{"a":1}' > "$1"`, 'sh', fifo.path]);
    expect(await rx.recv()).toEqual({ a: 1 });
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    await rx.close();
    dir.remove();
  });
});
