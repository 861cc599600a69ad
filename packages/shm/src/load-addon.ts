import { addonLoader } from '@ipc/kit';
import type { NativeAddon } from './native.js';

/**
 * The native addon (`ipc_shm`), loaded once (see `addonLoader` in `@ipc/kit`). Throws
 * `ERR_UNSUPPORTED` off Linux or when no binary loads (the message names the fix).
 */
export const addon = addonLoader<NativeAddon>(import.meta.url, '@ipc/shm', { required: true });
