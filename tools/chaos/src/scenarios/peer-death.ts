import { deathTransports, type DeathTransport } from '../peers/death-transports.js';
import { corruption } from '../peers/test-message.js';
import { errorCode, sleep, within } from '../suite/bounded.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';
import { DEATH_BOUND_MS, judgeEnd } from './end-after-kill.js';

/** Messages sent before a between-frames kill. */
const BETWEEN_COUNT = 20;

async function trial(
  ctx: ScenarioContext,
  transport: DeathTransport,
  mode: 'between' | 'mid',
): Promise<void> {
  const row = ctx.row(`peer-death ${transport.name} ${mode === 'mid' ? 'mid-frame' : 'between-frames'}`);
  if (transport.note !== undefined && row.tried === 0) row.fact(transport.note);
  const opened = await within(
    transport.open(ctx.dir, ctx.children, { mode, count: BETWEEN_COUNT, bigBytes: transport.bigBytes }),
    30_000,
  );
  if (opened.kind !== 'value') {
    return opened.kind === 'hung'
      ? row.hang('opening the transport')
      : row.fail(`open failed: ${errorCode(opened.error)} ${String(opened.error).split('\n')[0]}`);
  }
  const { end, peer } = opened.value;
  try {
    const before = mode === 'between' ? BETWEEN_COUNT : 1 + Math.floor(Math.random() * 3);
    for (let i = 0; i < before; i++) {
      const got = await within(end.recv(), 30_000);
      if (got.kind === 'hung') return row.hang(`message ${i} before the kill`);
      if (got.kind === 'error') return row.fail(`${errorCode(got.error)} before the kill`);
      const bad = corruption(got.value, i);
      if (bad !== undefined) return row.fail(bad);
    }
    if (mode === 'between') await peer.line((l) => l === 'sent', 30_000);
    else await sleep(Math.random() * 5);
    await peer.kill();
    await judgeEnd(transport, end, before, row);
  } finally {
    const closed = await within(end.close(), DEATH_BOUND_MS);
    if (closed.kind === 'hung') row.note('close() hung');
    else if (closed.kind === 'error' && errorCode(closed.error).startsWith('untyped')) {
      row.note(`close() threw ${String(closed.error)}`);
    }
    await peer.kill();
  }
}

/** (a) Peer death mid-frame and between frames, for every transport. */
export const peerDeath: Scenario = {
  name: 'peer-death',
  description:
    'SIGKILLs a sending peer between frames and in the middle of big frames, for every transport: the receiver gets the messages sent so far intact, then ERR_PEER_GONE within 5 s (or silence, where the transport cannot tell)',
  timeoutMs: ({ quick }) => (quick ? 240_000 : 1_200_000),
  async run(ctx) {
    const trials = ctx.quick ? 1 : 10;
    for (const transport of deathTransports) {
      for (const mode of ['between', 'mid'] as const) {
        for (let t = 0; t < trials && !ctx.signal.aborted; t++) await trial(ctx, transport, mode);
      }
    }
  },
};
