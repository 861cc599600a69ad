/**
 * Process identity is @ipc/kit's (one zombie rule for every package). This file only keeps the
 * import path `ring/ring.ts` uses; import from `@ipc/kit` everywhere else.
 */
export { isProcessAlive, selfStartTime } from '@ipc/kit';
