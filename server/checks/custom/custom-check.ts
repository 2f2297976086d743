import type { ClusterContext } from '../cluster-context.js';
import type { Finding } from '../finding.js';

/**
 * A named check for what the declarative kinds cannot say. It reads the same snapshot as every other
 * assertion and must never throw: a missing piece of state is a failing finding.
 */
export type CustomCheck = (ctx: ClusterContext, args: Record<string, unknown>) => Finding[];
