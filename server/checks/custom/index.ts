import type { CustomCheck } from './custom-check.js';
import { replicasBalanced } from './replicas-balanced.js';

/** The allow-list of custom checks; a lesson can name only these. Add a file and an entry here, never a lesson id. */
export const CUSTOM_CHECKS: Readonly<Record<string, CustomCheck>> = Object.freeze({
  'replicas-balanced': replicasBalanced,
});

export type { CustomCheck } from './custom-check.js';
