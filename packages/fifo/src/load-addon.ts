import { addonLoader } from '@ipc/kit';
import type { NativeAddon } from './native.js';

/**
 * The native addon (`ipc_fifo`), loaded once (see `addonLoader` in `@ipc/kit`). Returns (never
 * throws) an `ERR_UNSUPPORTED` error off Linux or when no binary loads.
 */
export const addon = addonLoader<NativeAddon>(import.meta.url, '@ipc/fifo', {
  feature: '@ipc/fifo: FIFO buffer sizes (F_SETPIPE_SZ)',
});
