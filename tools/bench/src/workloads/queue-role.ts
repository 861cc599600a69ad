import type { BenchCase, QueueContext } from '../adapter.js';
import type { CaseSpec } from '../process/case-spec.js';
import type { ControlPipe } from '../process/control-pipe.js';
import { passes } from './counts.js';
import { checkItem, CheckError, itemMessage } from './messages.js';

/**
 * A W4 child: opens its side of the adapter's queue, says ready, then runs each pass on the parent's
 * "go" — the untimed warm-up pass (`w4Warmup` messages, when not 0), then the timed one: a producer
 * puts its share (producer k: ids k, k+P, …), a consumer gets until a stop sentinel, checking that each
 * producer's ids arrive in order; each closes its handle (a producer's close flushes, a consumer's
 * hands back what it prefetched) and reports its count. Between passes the next handle is opened
 * before the report, so that setup stays outside the parent's clock.
 */
export async function runQueueRole(c: BenchCase, spec: CaseSpec, control: ControlPipe): Promise<void> {
  const sides = c.queue;
  if (sides === undefined) throw new Error(`${c.name} has no queue sides`);
  const producers = spec.producers ?? 2;
  const ctx: QueueContext = {
    caseName: c.name,
    workload: 'W4',
    dir: spec.dir,
    id: spec.id,
    info: spec.info,
    producers,
    consumers: spec.consumers ?? 2,
    role: spec.role!,
    index: spec.index!,
  };
  const counts = passes(spec.counts.w4Warmup, spec.counts.w4Messages);
  if (spec.role === 'producer') {
    let producer = await sides.producer(ctx);
    await control.send({ t: 'ready' });
    for (const [pass, n] of counts.entries()) {
      await waitGo(control);
      let count = 0;
      for (let id = spec.index!; id < n; id += producers) {
        const put = producer.put(itemMessage(id));
        if (put !== undefined) await put;
        count++;
      }
      await producer.close();
      if (pass < counts.length - 1) producer = await sides.producer(ctx);
      await control.send({ t: 'done', count });
    }
    return;
  }
  let consumer = await sides.consumer(ctx);
  await control.send({ t: 'ready' });
  for (const pass of counts.keys()) {
    await waitGo(control);
    const next = new Array<number>(producers).fill(0).map((_, k) => k); // the next id expected from producer k
    let count = 0;
    let idSum = 0;
    for (;;) {
      const m = await consumer.get();
      if ((m as { stop?: unknown } | null)?.stop === true) break;
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id !== 'number') throw new CheckError(`W4: a consumer received ${JSON.stringify(m)}`);
      const k = id % producers;
      if (id < next[k]!) throw new CheckError(`W4: id ${id} arrived after a later id of producer ${k}`);
      checkItem(m, id);
      next[k] = id + producers;
      count++;
      idSum += id;
    }
    await consumer.close();
    if (pass < counts.length - 1) consumer = await sides.consumer(ctx);
    await control.send({ t: 'done', count, idSum });
  }
}

async function waitGo(control: ControlPipe): Promise<void> {
  const m = await control.next();
  if (m.t !== 'go') throw new Error(`expected "go", got "${m.t}"`);
}
