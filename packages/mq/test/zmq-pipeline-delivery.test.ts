import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import * as zmq from '@ipc/mq/zmq';

// Issue #20, defect 9: producer processes PUSH (connect, endOnClose) to one PULL (bind, endAfter)
// that reads more slowly than they send. libzmq dropped the tail of a pusher that hung up while the
// puller's queue was full (its end marker too), and the puller's loop never ended.

const producerScript = join(__dirname, 'fixtures', 'zmq-pipeline-producer.mjs');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface ProducerResult {
  code: number | null;
  report: { closed?: number; failed?: string; message?: string };
}

/** Starts a producer process (see the fixture); its temp folder is `tmp`. */
function startProducer(
  endpoint: string,
  id: number,
  count: number,
  linger: number,
  tmp: string,
): Promise<ProducerResult> {
  const child = spawn(
    process.execPath,
    [producerScript, endpoint, String(id), String(count), String(linger)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TMPDIR: tmp },
    },
  );
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      let report: ProducerResult['report'];
      try {
        report = JSON.parse(out.trim()) as ProducerResult['report'];
      } catch {
        report = { message: out };
      }
      resolve({ code, report });
    });
  });
}

interface Consumed {
  /** Per producer: how often each id arrived. */
  seen: Uint16Array[];
  total: number;
  /** What ended the loop: undefined when it ended cleanly (end markers). */
  error: { code?: string } | undefined;
}

/** Reads `rx` until its loop ends, pausing 1 ms every `pauseEvery` messages (a slow consumer). */
async function consume(
  rx: AsyncIterable<{ p: number; i: number }> & { close(): Promise<void> },
  producers: number,
  count: number,
  pauseEvery: number,
): Promise<Consumed> {
  const seen = Array.from({ length: producers }, () => new Uint16Array(count));
  let total = 0;
  let error: Consumed['error'];
  // A hang becomes a failure with figures (the loop is closed), not only a Jest timeout.
  const watchdog = setTimeout(() => void rx.close(), 90_000);
  try {
    for await (const { p, i } of rx) {
      const ids = seen[p] as Uint16Array;
      ids[i] = (ids[i] as number) + 1;
      if (++total % pauseEvery === 0) await new Promise((r) => setTimeout(r, 1));
    }
  } catch (err) {
    error = err as { code?: string };
  } finally {
    clearTimeout(watchdog);
  }
  return { seen, total, error };
}

async function pipelineRound(producers: number, count: number): Promise<void> {
  const dir = tempDir('ipc-mq-');
  const tmp = join(dir.path, 'tmp');
  mkdirSync(tmp, { mode: 0o700 });
  const endpoint = `ipc://${join(dir.path, 'jobs.sock')}`;
  const rx = await zmq.pull<{ p: number; i: number }>(endpoint, { endAfter: producers });
  try {
    const results = Array.from({ length: producers }, (_, p) =>
      startProducer(endpoint, p, count, 60_000, tmp),
    );
    const consumed = await consume(rx, producers, count, 200);
    const done = await Promise.all(results);
    // The loop ended by the end markers, every id arrived exactly once, every close resolved.
    expect({ error: consumed.error, total: consumed.total }).toEqual({
      error: undefined,
      total: producers * count,
    });
    for (const ids of consumed.seen) expect(ids.every((n) => n === 1)).toBe(true);
    for (const { code, report } of done) {
      expect(code).toBe(0);
      expect(report.closed).toEqual(expect.any(Number));
    }
    expect(readdirSync(tmp)).toEqual([]); // the pushers removed their confirmation sockets' folders
  } finally {
    await rx.close();
    dir.remove();
  }
}

it('2 producer processes × 10,000 to a slower puller: every id once, both end markers, the loop ends (3 rounds)', async () => {
  for (let round = 0; round < 3; round++) await pipelineRound(2, 10_000);
}, 300_000);

it('1 producer process × 20,000 to a slower puller: every id once, the loop ends (3 rounds)', async () => {
  for (let round = 0; round < 3; round++) await pipelineRound(1, 20_000);
}, 300_000);

it('a puller that does not read: close() fails with ERR_TIMEOUT naming the count, the puller is told instead of waiting for good', async () => {
  const dir = tempDir('ipc-mq-');
  const tmp = join(dir.path, 'tmp');
  mkdirSync(tmp, { mode: 0o700 });
  const endpoint = `ipc://${join(dir.path, 'jobs.sock')}`;
  const rx = await zmq.pull<{ p: number; i: number }>(endpoint, { endAfter: 1 });
  try {
    // 2,500 sends fit in the queues (1,024 read ahead + 1,000 at RCVHWM + the rest in the pusher and
    // the kernel), so they all complete while nobody reads; the puller's queue is full at the close.
    const { code, report } = await startProducer(endpoint, 0, 2500, 500, tmp);
    expect(code).toBe(3);
    expect(report.failed).toBe('ERR_TIMEOUT');
    expect(report.message).toMatch(/up to 2500 message/);
    const consumed = await consume(rx, 1, 2500, 1_000_000);
    // What arrived is a prefix in order, each once; then either the end marker came after all (the
    // loop ends cleanly) or it was lost with the tail, and the loop fails with ERR_PEER_GONE.
    const ids = consumed.seen[0] as Uint16Array;
    expect(ids.subarray(0, consumed.total).every((n) => n === 1)).toBe(true);
    expect(ids.subarray(consumed.total).every((n) => n === 0)).toBe(true);
    if (consumed.error === undefined) expect(consumed.total).toBe(2500);
    else expect(consumed.error.code).toBe('ERR_PEER_GONE');
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    await rx.close();
    dir.remove();
  }
}, 120_000);
