import type { OptionalRead } from '../read-plan.js';
import type { CustomCheck } from './custom-check.js';
import { replicasBalanced } from './replicas-balanced.js';

/** The allow-list of custom checks; a lesson can name only these. Add a file and an entry here, never a lesson id. */
export const CUSTOM_CHECKS: Readonly<Record<string, CustomCheck>> = Object.freeze({
  'replicas-balanced': replicasBalanced,
});

/**
 * What each custom check reads beyond every run's base reads (read-plan.ts). A check missing here is given
 * a full read, so a new check is never judged on state that was not read.
 */
export const CUSTOM_CHECK_READS: Readonly<Record<string, readonly OptionalRead[]>> = Object.freeze({
  'replicas-balanced': [], // the swarm's nodes, services and tasks
});

export type { CustomCheck } from './custom-check.js';
