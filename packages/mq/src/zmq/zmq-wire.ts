/**
 * The frames @ipc/mq puts on a ZeroMQ socket. A data message is ONE frame: the codec's bytes, so a
 * plain ZeroMQ peer in any language sends and receives them as they are. Control messages have TWO
 * frames, the first one empty, the second one a marker — a plain peer never produces that shape.
 */

/** An empty first frame (the start of every control message). */
export const CONTROL = Buffer.alloc(0);
/** End of stream: the sender closed and sends nothing more. */
export const END = Buffer.from('ipc:end');
/** A PAIR's answer to `END`: everything before it was read, the closing side may go. */
export const END_ACK = Buffer.from('ipc:end-ack');
/** A failed request: the second frame is `ERROR`, the third the error text (UTF-8). */
export const ERROR = Buffer.from('ipc:error');

/**
 * Where a pusher waits for the confirmation of its end marker: the endpoint the puller connects to,
 * and the token it sends back (see zmq-end-ack.ts).
 */
export interface EndAckRequest {
  /** A ZeroMQ endpoint the pusher has bound a PULL socket to. */
  endpoint: string;
  /** Random bytes that the confirmation must carry (a stranger cannot fake one). */
  token: Buffer;
}

/**
 * The frames of an end-of-stream marker: `[empty, END]`, or with a confirmation request
 * `[empty, END, endpoint, token]`.
 */
export const endFrames = (ack?: EndAckRequest): Buffer[] =>
  ack === undefined ? [CONTROL, END] : [CONTROL, END, Buffer.from(ack.endpoint), ack.token];

/** The frames of an end acknowledgement: `[empty, END_ACK]`, or `[empty, END_ACK, token]` over a side channel. */
export const endAckFrames = (token?: Buffer): Buffer[] =>
  token === undefined ? [CONTROL, END_ACK] : [CONTROL, END_ACK, token];

/** The confirmation request an end marker carries, if any (frames classified as `end`). */
export function endAckRequest(frames: readonly Buffer[]): EndAckRequest | undefined {
  const [, , endpoint, token] = frames;
  if (frames.length !== 4 || endpoint === undefined || token === undefined) return undefined;
  return { endpoint: endpoint.toString(), token };
}

/** What a received multipart message is. */
export type WireKind = 'data' | 'end' | 'end-ack' | 'error' | 'unknown';

/** Classifies received frames (see the module comment). */
export function wireKind(frames: readonly Buffer[]): WireKind {
  if (frames.length === 1) return 'data';
  if (frames.length >= 2 && frames[0]?.length === 0) {
    const marker = frames[1];
    if (marker?.equals(END) === true) return 'end';
    if (marker?.equals(END_ACK) === true) return 'end-ack';
    if (marker?.equals(ERROR) === true) return 'error';
  }
  return 'unknown';
}
