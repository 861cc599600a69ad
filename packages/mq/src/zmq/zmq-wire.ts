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

/** The frames of an end-of-stream marker. */
export const endFrames = (): Buffer[] => [CONTROL, END];

/** The frames of an end acknowledgement. */
export const endAckFrames = (): Buffer[] => [CONTROL, END_ACK];

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
