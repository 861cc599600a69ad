import type { Codec } from '@ipc/core';

/** The header that marks an end-of-stream message (see `endOnClose` / `endAfter`). */
export const END_HEADER = 'x-ipc-end';

/** The content type for a codec's bytes. */
export function contentType(codec: Codec<unknown>): string {
  switch (codec.name) {
    case 'json':
      return 'application/json';
    case 'msgpack':
      return 'application/msgpack';
    case 'raw':
      return 'application/octet-stream';
    default:
      return `application/x-${codec.name}`;
  }
}
