import type { Scenario } from '../suite/scenario.js';
import { peerDeath } from './peer-death.js';

/** Every scenario, in the order of a pass. */
export const allScenarios: readonly Scenario[] = [peerDeath];
