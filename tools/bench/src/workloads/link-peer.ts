import type { Counts, Link, LinkWorkload, Payload } from '../adapter.js';
import { decodeControl, encodeControl } from './control.js';
import { passes } from './counts.js';
import { checkBulk, checkItem } from './messages.js';

/**
 * The peer side of W1–W3: signals ready, echoes (W1) or receives and checks (W2, W3: the untimed
 * warm-up pass, then the timed one, each numbered from 0), sends a completion message after each pass,
 * and returns once the driver said goodbye.
 */
export async function runLinkPeer(link: Link, workload: LinkWorkload, counts: Counts): Promise<void> {
  const payload: Payload = workload === 'W3' ? 'bytes' : 'object';
  const send = async (m: unknown): Promise<void> => {
    const sent = link.send(m);
    if (sent !== undefined) await sent;
  };
  await send(encodeControl({ t: 'ready' }, payload));
  if (workload === 'W1') {
    for (;;) {
      const m = await link.recv();
      if ((m as { t?: unknown }).t === 'bye') return;
      const sent = link.send(m);
      if (sent !== undefined) await sent;
    }
  }
  if (workload === 'W2') {
    for (const n of passes(counts.w2Warmup, counts.w2Messages)) {
      for (let id = 0; id < n; id++) checkItem(await link.recv(), id);
      await send({ t: 'done', count: n });
    }
  } else {
    for (const n of passes(counts.w3Warmup, counts.w3Buffers)) {
      let bytes = 0;
      for (let i = 0; i < n; i++) bytes += checkBulk(await link.recv(), counts.w3BufferBytes, i);
      await send(encodeControl({ t: 'done', count: n, bytes }, 'bytes'));
    }
  }
  decodeControl(await link.recv(), payload, 'bye');
}
