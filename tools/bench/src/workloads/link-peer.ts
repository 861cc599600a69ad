import type { Counts, Link, LinkWorkload, Payload } from '../adapter.js';
import { decodeControl, encodeControl } from './control.js';
import { checkBulk, checkItem } from './messages.js';

/**
 * The peer side of W1–W3: signals ready, echoes (W1) or receives and checks (W2, W3), sends the
 * completion message (W2, W3: after the warm-up pass and after the timed one), and returns once the driver
 * said goodbye.
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
    // The untimed warm-up pass (W2, W3), then the timed one: each numbered from 0, then a completion message.
    for (const n of counts.w2Warmup > 0 ? [counts.w2Warmup, counts.w2Messages] : [counts.w2Messages]) {
      for (let id = 0; id < n; id++) checkItem(await link.recv(), id);
      await send({ t: 'done', count: n });
    }
  } else {
    for (const n of counts.w3Warmup > 0 ? [counts.w3Warmup, counts.w3Buffers] : [counts.w3Buffers]) {
      let bytes = 0;
      for (let i = 0; i < n; i++) bytes += checkBulk(await link.recv(), counts.w3BufferBytes, i);
      await send(encodeControl({ t: 'done', count: n, bytes }, 'bytes'));
    }
  }
  decodeControl(await link.recv(), payload, 'bye');
}
