import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createFifo, openFifo } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();
const sh = promisify(execFile);
const ndjson = { framing: 'lines', codec: 'json' } as const;

describe('FIFOs with shell tools (newline-delimited JSON)', () => {
  it('receives what `echo \'{"a":1}\' > fifo` writes', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('in'));
    const rx = await openFifo(fifo.path, 'r', { ...ndjson, persistent: true });
    await sh('sh', ['-c', `echo '{"a":1}' > "$1"`, 'sh', fifo.path]);
    expect(await rx.recv()).toEqual({ a: 1 });
    // A last line without a newline, CRLF, and several lines in one go.
    await sh('sh', ['-c', `printf '{"b":2}\\r\\n[3]\\n"four"' > "$1"`, 'sh', fifo.path]);
    expect(await rx.recv()).toEqual({ b: 2 });
    expect(await rx.recv()).toEqual([3]);
    expect(await rx.recv()).toBe('four');
    // A line that is not JSON fails that one recv only.
    await sh('sh', ['-c', `printf 'not json\\n{"c":5}\\n' > "$1"`, 'sh', fifo.path]);
    await expect(rx.recv()).rejects.toMatchObject({ code: 'ERR_DECODE' });
    expect(await rx.recv()).toEqual({ c: 5 });
    await rx.close();
    dir.remove();
  });

  it('lets `cat fifo` print what a Sender writes', async () => {
    const dir = dirs.make();
    await using fifo = await createFifo(dir.fifo('out'));
    const cat = spawn('cat', [fifo.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    cat.stdout.on('data', (c: Buffer) => (out += String(c)));
    const tx = await openFifo(fifo.path, 'w', { ...ndjson, timeout: 30_000 });
    await tx.send({ a: 1 });
    await tx.send({ text: 'héllo', list: [1, 2] });
    await tx.close();
    const [code] = (await once(cat, 'close')) as [number];
    expect(code).toBe(0);
    expect(out).toBe('{"a":1}\n{"text":"héllo","list":[1,2]}\n');
    dir.remove();
  });
});
