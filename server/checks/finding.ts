import type { AssertionKind } from './assertion-schema.js';

/**
 * One property of an assertion, compared: what was expected, what the cluster has (both as plain values, so
 * a message can be rendered again in another language), and a sentence saying so.
 */
export interface Finding {
  ok: boolean;
  expected: string;
  actual: string;
  message: string;
}

/** One difference of a failed assertion, as data. */
export interface Difference {
  expected: string;
  actual: string;
  message: string;
}

export interface AssertionResult {
  kind: AssertionKind;
  passed: boolean;
  /** When it failed: only what differs; when it passed: everything confirmed. Joined with `; `. */
  expected: string;
  actual: string;
  /** The differences in plain words, or what was confirmed when it passed. */
  message: string;
  /** Each difference separately, with both values (empty when it passed). */
  differences: Difference[];
}

/** Formats a value the way messages quote it: `web:1`. */
export function code(value: unknown): string {
  return `\`${String(value)}\``;
}

/** Compares one value; `subject` reads like "node `node2` availability" or "service `web`: image". */
export function compareValue(subject: string, actual: unknown, expected: unknown): Finding {
  const ok = actual === expected;
  return {
    ok,
    expected: String(expected),
    actual: String(actual),
    message: ok ? `${subject} is ${code(actual)}` : `${subject} is ${code(actual)}, expected ${code(expected)}`,
  };
}

export function finding(ok: boolean, expected: string, actual: string, message: string): Finding {
  return { ok, expected, actual, message };
}

/** Compares a count against an exact value or bounds; `describe` words the actual count. */
export function compareCount(
  actual: number,
  bounds: { count?: number; min?: number; max?: number },
  describe: (n: number) => string,
): Finding[] {
  const findings: Finding[] = [];
  if (bounds.count !== undefined) {
    const ok = actual === bounds.count;
    findings.push(finding(ok, String(bounds.count), String(actual), ok ? describe(actual) : `${describe(actual)}, expected ${bounds.count}`));
  }
  if (bounds.min !== undefined) {
    const ok = actual >= bounds.min;
    findings.push(finding(ok, `>= ${bounds.min}`, String(actual), ok ? describe(actual) : `${describe(actual)}, expected at least ${bounds.min}`));
  }
  if (bounds.max !== undefined) {
    const ok = actual <= bounds.max;
    findings.push(finding(ok, `<= ${bounds.max}`, String(actual), ok ? describe(actual) : `${describe(actual)}, expected at most ${bounds.max}`));
  }
  return findings;
}

/** Folds the findings of one assertion into its result; the message names every difference. */
export function assertionResult(kind: AssertionKind, findings: Finding[]): AssertionResult {
  const failed = findings.filter((f) => !f.ok);
  const shown = failed.length > 0 ? failed : findings;
  return {
    kind,
    passed: findings.length > 0 && failed.length === 0,
    expected: shown.map((f) => f.expected).join('; '),
    actual: shown.map((f) => f.actual).join('; '),
    message: findings.length === 0 ? 'nothing to check' : shown.map((f) => f.message).join('; '),
    differences: failed.map(({ expected, actual, message }) => ({ expected, actual, message })),
  };
}

export function listOrNone(values: string[]): string {
  return values.length === 0 ? 'none' : values.map(code).join(', ');
}
