import type { CheckResultView } from '../../shared/lesson-protocol.js';
import type { StoredCheckResult, StoredFinding } from './result-store.js';

/**
 * The earning rule. A check is earned when it passes while the learner has reached its step (the furthest step
 * the owner has been on in the lesson). Earned points never go down and the time they were first earned stays,
 * until the lesson is reset; the latest evaluation ("holds now") is kept beside them. So a later step that
 * changes what an earlier check reads (scale to five, then to three) takes nothing away, and a check that holds
 * trivially before its step (no volume yet) is not earned by a learner who never got there.
 */
export function mergeResult(
  previous: StoredCheckResult | undefined,
  fresh: Omit<StoredCheckResult, 'earned' | 'earnedAt'>,
  reachedStep: number | undefined,
): StoredCheckResult {
  const earnable = fresh.passed && reachedStep !== undefined && fresh.step <= reachedStep;
  const earnedBefore = previous?.earnedAt !== undefined;
  const earned = Math.max(earnedBefore ? previous!.earned : 0, earnable ? fresh.possible : 0);
  const earnedAt = earnedBefore ? previous!.earnedAt : earnable ? fresh.checkedAt : undefined;
  return { ...fresh, earned, ...(earnedAt !== undefined ? { earnedAt } : {}) };
}

/** A probe's answer may be anything a container printed (a mounted secret, say): the store keeps what was expected, not what came out. */
const PROBE_OUTPUT_NOT_STORED = '(output not stored)';

function withoutProbeOutput(message: string): string {
  return message
    .replace(/ \((exit -?\d+, )?output: [\s\S]*\)$/, '')
    .replace(/: output is [\s\S]*, expected (`[^`]*`)$/, ': output is not $1');
}

/**
 * What is stored of a check run's failed assertions: the structured differences (expected, actual, message),
 * so they can be rendered again in another language. Probe output is never stored. Secrets are never read by
 * the checker except through a probe, so no secret's value reaches the store.
 */
export function storableFindings(check: CheckResultView): StoredFinding[] {
  return check.assertions.filter((a) => !a.passed).map((assertion): StoredFinding => {
    const differences = assertion.differences ?? [];
    if (assertion.kind !== 'probe') {
      return { kind: assertion.kind, expected: assertion.expected, actual: assertion.actual, message: assertion.message, differences, ...(assertion.findings ? { findings: assertion.findings } : {}) };
    }
    // A probe's findings would carry its output in their values: only the redacted English sentence is kept.
    const redacted = differences.map((d) => ({ expected: d.expected, actual: PROBE_OUTPUT_NOT_STORED, message: withoutProbeOutput(d.message) }));
    return {
      kind: assertion.kind,
      expected: assertion.expected,
      actual: PROBE_OUTPUT_NOT_STORED,
      message: redacted.length > 0 ? redacted.map((d) => d.message).join('; ') : withoutProbeOutput(assertion.message),
      differences: redacted,
    };
  });
}
