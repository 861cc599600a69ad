import { IpcError } from '../errors.js';
import type { Framing } from './framing.js';
import { lengthPrefixed } from './length-prefixed.js';
import { lines } from './lines.js';

/** A framing, or the name of a built-in one. */
export type FramingOption = Framing | 'length-prefixed' | 'lines';

/** Resolves a `framing` option; the default is {@link lengthPrefixed}. */
export function resolveFraming(option: FramingOption | undefined): Framing {
  if (option === undefined || option === 'length-prefixed') return lengthPrefixed;
  if (option === 'lines') return lines;
  if (typeof option === 'object' && typeof option.createDecoder === 'function') return option;
  throw new IpcError(
    'ERR_INVALID_ARGUMENT',
    `unknown framing ${JSON.stringify(option)}; built-in framings are length-prefixed, lines`,
  );
}
