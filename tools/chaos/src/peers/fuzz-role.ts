import { codecs, isIpcError, LengthPrefixedDecoder, LineDecoder, type FrameDecoder } from '@ipc/core';
import { hostileMsgpackExt, knownHostile, mutate, random, randomBytes, samples } from './fuzz-inputs.js';
import { notPlain, structuredProtos } from './plain-data.js';

/** Arguments of the `fuzz` role. */
export interface FuzzArgs {
  /** Inputs per codec and per decoder. */
  count: number;
  /** Decoders fed a header claiming a huge frame (the memory check). */
  partialHeaders: number;
  /** The PRNG seed. */
  seed: number;
}

/** One row of the fuzz's results, printed as `row <json>`. */
export interface FuzzRow {
  name: string;
  tried: number;
  survived: number;
  wrong: number;
  notes: string[];
  facts: string[];
}

const MiB = 1024 * 1024;

function memory(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function report(row: FuzzRow): void {
  process.stdout.write(`row ${JSON.stringify(row)}\n`);
}

function fail(row: FuzzRow, why: string, input: Uint8Array): void {
  row.wrong++;
  if (row.notes.length < 5)
    row.notes.push(`${why} for ${Buffer.from(input.subarray(0, 24)).toString('hex')}`);
}

function fuzzCodec(name: keyof typeof codecs, args: FuzzArgs): FuzzRow {
  const codec = codecs[name];
  const row: FuzzRow = { name: `fuzz codec ${name}`, tried: 0, survived: 0, wrong: 0, notes: [], facts: [] };
  const rand = random(args.seed);
  const seen = new WeakSet<object>();
  const extra = name === 'structured' ? structuredProtos : [];
  const encoded = samples.map((s) => {
    try {
      return Uint8Array.from(codec.encode(s as never));
    } catch {
      return new Uint8Array(0);
    }
  });
  const start = memory();
  for (let n = 0; n < args.count + knownHostile.length; n++) {
    let input: Uint8Array;
    if (n < knownHostile.length) input = knownHostile[n] as Uint8Array;
    else {
      const kind = rand();
      if (kind < 0.4) input = randomBytes(rand, Math.floor(rand() * 48));
      else if (kind < 0.85)
        input = mutate(rand, encoded[Math.floor(rand() * encoded.length)] ?? new Uint8Array(0));
      else input = hostileMsgpackExt(rand);
    }
    row.tried++;
    let value: unknown;
    try {
      value = codec.decode(input);
    } catch (err) {
      if (isIpcError(err, 'ERR_DECODE')) row.survived++;
      else fail(row, `threw ${isIpcError(err) ? err.code : String(err).slice(0, 60)}`, input);
      continue;
    }
    const why = notPlain(value, seen, extra);
    if (why === undefined) row.survived++;
    else fail(row, `decoded to ${why}`, input);
  }
  const growth = (memory() - start) / MiB;
  row.facts.push(`heap+buffers ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`);
  if (growth > 32) {
    row.wrong++;
    row.notes.push(`memory grew by ${growth.toFixed(0)} MiB over the fuzz`);
  }
  return row;
}

type Feed = (decoder: FrameDecoder, chunk: Uint8Array) => Uint8Array[];

/** Feeds a chunk the way a net.Socket's `onread` does when the decoder offers its own buffers. */
const feedAsSocket: Feed = (decoder, chunk) => {
  const d = decoder as FrameDecoder & {
    readBuffer?: () => Uint8Array;
    pushRead?: (n: number) => Uint8Array[];
  };
  if (d.readBuffer === undefined || d.pushRead === undefined) return decoder.push(chunk);
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < chunk.length) {
    const target = d.readBuffer();
    const n = Math.min(target.length, chunk.length - at);
    target.set(chunk.subarray(at, at + n));
    at += n;
    frames.push(...d.pushRead(n));
  }
  d.readBuffer(); // a socket asks for its next read buffer at once
  return frames;
};

const feedAsStream: Feed = (decoder, chunk) => decoder.push(chunk);

function fuzzDecoder(name: string, make: () => FrameDecoder, feed: Feed, args: FuzzArgs): FuzzRow {
  const row: FuzzRow = {
    name: `fuzz decoder ${name}`,
    tried: 0,
    survived: 0,
    wrong: 0,
    notes: [],
    facts: [],
  };
  const rand = random(args.seed + 1);
  const max = 1 << 16;
  const start = memory();
  for (let n = 0; n < args.count; n++) {
    const decoder = make();
    const stream = randomBytes(rand, Math.floor(rand() * 96));
    if (rand() < 0.3 && stream.length >= 4)
      Buffer.from(stream.buffer).writeUInt32BE(Math.floor(rand() * 64), 0);
    row.tried++;
    let bad: string | undefined;
    try {
      let at = 0;
      while (at < stream.length && bad === undefined) {
        const cut = at + 1 + Math.floor(rand() * 16);
        for (const frame of feed(decoder, stream.subarray(at, cut))) {
          if (!(frame instanceof Uint8Array) || frame.byteLength > max)
            bad = 'returned a frame over the limit';
        }
        at = cut;
      }
      if (bad === undefined) decoder.end();
    } catch (err) {
      if (!isIpcError(err) || !['ERR_DECODE', 'ERR_FRAME_TOO_LARGE', 'ERR_PEER_GONE'].includes(err.code)) {
        bad = `threw ${isIpcError(err) ? err.code : String(err).slice(0, 60)}`;
      }
    }
    if (bad === undefined) row.survived++;
    else fail(row, bad, stream);
  }
  const growth = (memory() - start) / MiB;
  row.facts.push(`heap+buffers ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`);
  if (growth > 32) {
    row.wrong++;
    row.notes.push(`memory grew by ${growth.toFixed(0)} MiB over the fuzz`);
  }
  return row;
}

/** Decoders each fed a 4-byte header claiming a frame just under the 64 MiB limit, and 16 bytes: memory must follow the bytes. */
function partialHeaders(feedName: string, feed: Feed, args: FuzzArgs): FuzzRow {
  const row: FuzzRow = {
    name: `fuzz decoder partial headers (${feedName})`,
    tried: 0,
    survived: 0,
    wrong: 0,
    notes: [],
    facts: [],
  };
  const held: FrameDecoder[] = [];
  const start = memory();
  const chunk = Buffer.alloc(20, 0x61);
  chunk.writeUInt32BE(64 * MiB - 8, 0);
  for (let n = 0; n < args.partialHeaders; n++) {
    const decoder = new LengthPrefixedDecoder();
    row.tried++;
    try {
      feed(decoder, chunk);
      held.push(decoder);
      row.survived++;
    } catch (err) {
      fail(row, `threw ${isIpcError(err) ? err.code : String(err).slice(0, 80)}`, chunk);
    }
  }
  const growth = (memory() - start) / MiB;
  row.facts.push(
    `${held.length} headers of 64 MiB frames + 16 B each: heap+buffers ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`,
  );
  const bound = 1 + held.length * 2;
  if (growth > bound) {
    row.survived = 0;
    row.wrong = row.tried;
    row.notes.push(
      `memory grew with what headers claim, not with the bytes received (bound ${bound.toFixed(0)} MiB)`,
    );
  }
  held.length = 0;
  return row;
}

/** The `fuzz` role: fuzzes every codec and frame decoder in this (expendable) process; prints `row` lines. */
export async function fuzzRole(args: FuzzArgs): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) process.stdout.write('note no --expose-gc\n');
  for (const name of ['msgpack', 'json', 'structured', 'raw'] as const) report(fuzzCodec(name, args));
  report(
    fuzzDecoder(
      'length-prefixed',
      () => new LengthPrefixedDecoder({ maxFrameBytes: 1 << 16 }),
      feedAsStream,
      args,
    ),
  );
  report(
    fuzzDecoder(
      'length-prefixed (socket reads)',
      () => new LengthPrefixedDecoder({ maxFrameBytes: 1 << 16 }),
      feedAsSocket,
      args,
    ),
  );
  report(fuzzDecoder('lines', () => new LineDecoder({ maxFrameBytes: 1 << 16 }), feedAsStream, args));
  report(partialHeaders('push', feedAsStream, args));
  report(partialHeaders('socket reads', feedAsSocket, args));
  process.stdout.write('done\n');
}
