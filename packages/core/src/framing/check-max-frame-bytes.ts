import { IpcError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES } from './framing.js';

/** Validates a `maxFrameBytes` option and applies the default. */
export function checkMaxFrameBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `maxFrameBytes must be a non-negative integer, got ${String(value)}`,
    );
  }
  return value;
}
