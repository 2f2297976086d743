import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { CUSTOM_CHECKS } from '../custom/index.js';
import { finding, type Finding } from '../finding.js';

/** `custom: name` — runs an allow-listed function; an unknown name or a thrown error is a failing finding. */
export function evaluateCustom(expected: AssertionOf<'custom'>, ctx: ClusterContext): Finding[] {
  const check = Object.hasOwn(CUSTOM_CHECKS, expected.custom) ? CUSTOM_CHECKS[expected.custom] : undefined;
  if (!check) return [finding(false, expected.custom, 'unknown', 'custom.unknown', { name: expected.custom })];
  try {
    return check(ctx, expected.args ?? {});
  } catch (error) {
    return [finding(false, expected.custom, 'error', 'custom.failed', { name: expected.custom, reason: error instanceof Error ? error.message : String(error) })];
  }
}
