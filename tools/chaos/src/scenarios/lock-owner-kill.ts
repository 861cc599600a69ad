import { Mutex } from '@ipc/core';
import { errorCode, sleep, within } from '../suite/bounded.js';
import { CHAOS_PREFIX } from '../suite/run-suite.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';
import type { Tally } from '../suite/tally.js';

/** Acquires after a kill: ERR_OWNER_DEAD once (when the dead process held it) then success, within 5 s. */
async function recovers(mutex: Mutex, row: Tally, mustBeDead: boolean): Promise<void> {
  const first = await within(mutex.acquire({ timeout: 5000 }), 6000);
  if (first.kind === 'hung') return row.hang('acquire after the owner was killed');
  if (first.kind === 'value') {
    first.value.release();
    return mustBeDead ? row.fail('acquire succeeded without ERR_OWNER_DEAD') : row.ok();
  }
  const code = errorCode(first.error);
  if (code !== 'ERR_OWNER_DEAD') return row.fail(`${code} instead of ERR_OWNER_DEAD`);
  const second = await within(mutex.acquire({ timeout: 5000 }), 6000);
  if (second.kind === 'value') {
    second.value.release();
    return row.ok();
  }
  return second.kind === 'hung'
    ? row.hang('the acquire after ERR_OWNER_DEAD')
    : row.fail(`the acquire after ERR_OWNER_DEAD failed: ${errorCode(second.error)}`);
}

async function trial(ctx: ScenarioContext, churn: boolean): Promise<void> {
  const { SharedMemory } = await import('@ipc/shm');
  const row = ctx.row(
    churn ? 'lock-owner-kill shm Mutex, killed at random' : 'lock-owner-kill shm Mutex, killed holding it',
  );
  using shm = SharedMemory.create(`${CHAOS_PREFIX}mutex-${process.pid}-${row.tried}`, 64);
  const mutex = new Mutex(new Int32Array(shm.buffer, 0, Mutex.WORDS), { strategy: shm.waitStrategy() });
  const peer = ctx.children.spawnPeer(churn ? 'churn-mutex' : 'hold-mutex', { name: shm.name });
  try {
    await peer.line((l) => l === (churn ? 'churning' : 'held'));
    if (churn) await sleep(Math.random() * 50);
    await peer.kill();
    await recovers(mutex, row, !churn);
  } finally {
    await peer.kill();
  }
}

/** (d) Lock-owner kills. */
export const lockOwnerKill: Scenario = {
  name: 'lock-owner-kill',
  description:
    'SIGKILLs a process holding an @ipc/shm cross-process Mutex (and one taking and releasing it in a loop, at a random moment): the next acquire rejects with ERR_OWNER_DEAD once, then the lock works',
  timeoutMs: ({ quick }) => (quick ? 120_000 : 600_000),
  async run(ctx) {
    const trials = ctx.quick ? 3 : 20;
    for (let t = 0; t < trials && !ctx.signal.aborted; t++) await trial(ctx, false);
    for (let t = 0; t < trials && !ctx.signal.aborted; t++) await trial(ctx, true);
  },
};
