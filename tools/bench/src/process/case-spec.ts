import type { Counts, JsonObject, Workload } from '../adapter.js';

/** Everything a harness process (case, peer, role) needs to know, passed as one argv entry. */
export interface CaseSpec {
  /** Absolute path of the compiled adapter module (`dist/transports/x.js`). */
  module: string;
  caseName: string;
  workload: Workload;
  counts: Counts;
  /** The run's private folder. */
  dir: string;
  /** The run's unique token. */
  id: string;
  /** What the driver / parent handed to this side. */
  info: JsonObject;
  /** Check every message field by field (the tour), not only ids and a sample. */
  verifyAll?: boolean;
  role?: 'producer' | 'consumer';
  index?: number;
  producers?: number;
  consumers?: number;
}

/** Encodes a spec as one command-line argument. */
export function encodeSpec(spec: CaseSpec): string {
  return Buffer.from(JSON.stringify(spec)).toString('base64url');
}

/** Decodes {@link encodeSpec}'s argument. */
export function decodeSpec(arg: string | undefined): CaseSpec {
  if (arg === undefined) throw new Error('missing the case argument (this script is started by the bench)');
  return JSON.parse(Buffer.from(arg, 'base64url').toString('utf8')) as CaseSpec;
}
