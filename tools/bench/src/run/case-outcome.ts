import type { Measurement } from '../workloads/measurement.js';

/** What a case process sends back to the CLI. */
export type CaseOutcome = { ok: true; measurement: Measurement } | { ok: false; error: string };
