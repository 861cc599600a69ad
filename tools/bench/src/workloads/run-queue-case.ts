import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import type { BenchCase, QueueContext } from '../adapter.js';
import { encodeSpec, type CaseSpec } from '../process/case-spec.js';
import { ControlPipe, type RoleControl } from '../process/control-pipe.js';
import { roleMain } from '../process/paths.js';
import { TrackedChildren } from '../process/tracked-child.js';
import { messageRate, type Measurement } from './measurement.js';
import { CheckError, STOP } from './messages.js';

const PRODUCERS = 2;
const CONSUMERS = 2;

interface Role {
  role: 'producer' | 'consumer';
  index: number;
  child: ChildProcess;
  control: ControlPipe;
  exited: Promise<void>;
}

/**
 * W4 in the parent: create the queue, start 2 producers and 2 consumers, wait until all are ready, run
 * the untimed warm-up pass (when `w4Warmup` is not 0: stop sentinels once both producers reported),
 * then the timed one: release them with one "go", enqueue one stop sentinel per consumer once both
 * producers have exited, and stop the clock when both consumers have reported their counts.
 */
export async function runQueueCase(c: BenchCase, spec: CaseSpec): Promise<Measurement> {
  if (c.queue === undefined) throw new Error(`${c.name} has no queue sides`);
  const ctx: QueueContext = {
    caseName: c.name,
    workload: 'W4',
    dir: spec.dir,
    id: spec.id,
    info: {},
    producers: PRODUCERS,
    consumers: CONSUMERS,
  };
  const parent = await c.queue.parent(ctx);
  const children = new TrackedChildren();
  const roles: Role[] = [];
  try {
    const ipc = c.queue.childIpc;
    for (const [role, count] of [
      ['consumer', CONSUMERS],
      ['producer', PRODUCERS],
    ] as const) {
      for (let index = 0; index < count; index++) {
        const roleSpec: CaseSpec = {
          ...spec,
          info: parent.info ?? {},
          role,
          index,
          producers: PRODUCERS,
          consumers: CONSUMERS,
        };
        const child = children.spawnNode(
          `${c.name} ${role} ${index}`,
          [roleMain, encodeSpec(roleSpec)],
          ['ignore', 'inherit', 'pipe', 'pipe', ...(ipc !== undefined ? (['ipc'] as const) : [])],
          ipc,
          true,
        );
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        roles.push({ role, index, child, control: new ControlPipe(child.stdio[3] as Duplex), exited });
        parent.attach?.(role, index, child);
      }
    }
    const expect = async (r: Role, kind: RoleControl['t']): Promise<RoleControl> => {
      const m = await Promise.race([r.control.next(), children.failure]);
      if (m.t === 'error') throw new Error(`${r.role} ${r.index}: ${m.error}`);
      if (m.t !== kind) throw new Error(`${r.role} ${r.index}: expected "${kind}", got "${m.t}"`);
      return m;
    };
    await Promise.all(roles.map((r) => expect(r, 'ready')));
    const producers = roles.filter((r) => r.role === 'producer');
    const consumers = roles.filter((r) => r.role === 'consumer');

    /** One pass of `n` messages: "go", the producers' reports, the stop sentinels, the consumers' reports (checked). */
    const pass = async (n: number, last: boolean): Promise<void> => {
      for (const r of roles) void r.control.send({ t: 'go' });
      const consumed = consumers.map((r) => expect(r, 'done'));
      for (const p of consumed) p.catch(() => undefined);
      await Promise.all(producers.map((r) => expect(r, 'done')));
      if (last) {
        // SPEC: the stop sentinels follow the producers' exit.
        children.finishing();
        await Promise.race([Promise.all(producers.map((r) => r.exited)), children.failure]);
      }
      for (let i = 0; i < CONSUMERS; i++) {
        const put = parent.put({ ...STOP });
        if (put !== undefined) await put;
      }
      checkReports(await Promise.all(consumed), n);
    };

    const { w4Warmup, w4Messages } = spec.counts;
    if (w4Warmup > 0) await pass(w4Warmup, false);
    const start = process.hrtime.bigint();
    await pass(w4Messages, true);
    return messageRate('W4', w4Messages, Number(process.hrtime.bigint() - start));
  } finally {
    children.finishing();
    for (const r of roles) r.control.close();
    await children.reap();
    await Promise.race([parent.close(), new Promise((r) => setTimeout(r, 5000))]);
  }
}

/** The consumers' reports of a pass of `n` messages must add up: every id 0 … n-1 exactly once. */
function checkReports(reports: readonly RoleControl[], n: number): void {
  let count = 0;
  let idSum = 0;
  for (const m of reports) {
    if (m.t !== 'done') continue;
    count += m.count;
    idSum += m.idSum ?? 0;
  }
  if (count !== n) throw new CheckError(`W4: the consumers received ${count} of ${n} messages`);
  if (idSum !== (n * (n - 1)) / 2)
    throw new CheckError(`W4: the ids received do not add up (lost or duplicated)`);
}
