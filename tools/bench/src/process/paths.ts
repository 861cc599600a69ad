import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** `tools/bench/dist` (where this compiled file's parent lives). */
export const distDir = join(here, '..');
/** `tools/bench`. */
export const benchDir = join(distDir, '..');
/** The compiled adapters. */
export const transportsDir = join(distDir, 'transports');
/** The harness processes. */
export const caseMain = join(distDir, 'case-main.js');
export const peerMain = join(distDir, 'peer-main.js');
export const roleMain = join(distDir, 'role-main.js');
