import type { Counts, Link, LinkWorkload, Payload } from '../adapter.js';
import { decodeControl, encodeControl } from './control.js';
import { bulkRate, latencyMeasurement, messageRate, type Measurement } from './measurement.js';
import { bulkBuffer, checkPing, CheckError, itemMessage, pingMessage } from './messages.js';

/**
 * The driver side of W1–W3 over an adapter's link: waits for the peer's ready (outside the clock),
 * runs the workload, checks what comes back, says goodbye. The adapter's `close()` is the caller's.
 */
export async function runLinkDriver(
  link: Link,
  workload: LinkWorkload,
  counts: Counts,
): Promise<Measurement> {
  const payload: Payload = workload === 'W3' ? 'bytes' : 'object';
  decodeControl(await link.recv(), payload, 'ready');
  let result: Measurement;
  if (workload === 'W1') result = await pingPong(link, counts);
  else if (workload === 'W2') result = await smallMessages(link, counts);
  else result = await bulk(link, counts);
  const sent = link.send(encodeControl({ t: 'bye' }, payload));
  if (sent !== undefined) await sent;
  return result;
}

async function pingPong(link: Link, counts: Counts): Promise<Measurement> {
  for (let seq = 0; seq < counts.w1Warmup; seq++) {
    const sent = link.send(pingMessage(seq));
    if (sent !== undefined) await sent;
    checkPing(await link.recv(), seq);
  }
  const samples = new Float64Array(counts.w1RoundTrips);
  for (let i = 0; i < counts.w1RoundTrips; i++) {
    const seq = counts.w1Warmup + i;
    const start = process.hrtime.bigint();
    const sent = link.send(pingMessage(seq));
    if (sent !== undefined) await sent;
    const echo = await link.recv();
    samples[i] = Number(process.hrtime.bigint() - start);
    checkPing(echo, seq);
  }
  return latencyMeasurement(samples);
}

async function smallMessages(link: Link, counts: Counts): Promise<Measurement> {
  if (counts.w2Warmup > 0) await sendItems(link, counts.w2Warmup);
  const n = counts.w2Messages;
  const start = process.hrtime.bigint();
  await sendItems(link, n);
  const elapsed = Number(process.hrtime.bigint() - start);
  return messageRate('W2', n, elapsed);
}

/** One W2 pass: messages 0 … n-1, then the peer's completion message (checked). */
async function sendItems(link: Link, n: number): Promise<void> {
  for (let id = 0; id < n; id++) {
    const sent = link.send(itemMessage(id));
    if (sent !== undefined) await sent;
  }
  const done = decodeControl(await link.recv(), 'object', 'done');
  if (done.count !== n) throw new CheckError(`W2: the peer received ${done.count} of ${n} messages`);
}

async function bulk(link: Link, counts: Counts): Promise<Measurement> {
  const buffer = bulkBuffer(counts.w3BufferBytes);
  if (counts.w3Warmup > 0) await sendBuffers(link, buffer, counts.w3Warmup);
  const start = process.hrtime.bigint();
  const total = await sendBuffers(link, buffer, counts.w3Buffers);
  return bulkRate(total, Number(process.hrtime.bigint() - start));
}

/** One W3 pass: `n` buffers, then the peer's completion message (checked); returns the bytes sent. */
async function sendBuffers(link: Link, buffer: Uint8Array, n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    const sent = link.send(buffer);
    if (sent !== undefined) await sent;
  }
  const total = n * buffer.byteLength;
  const done = decodeControl(await link.recv(), 'bytes', 'done');
  if (done.bytes !== total) throw new CheckError(`W3: the peer received ${done.bytes} of ${total} bytes`);
  return total;
}
