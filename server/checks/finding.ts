import { renderFinding, renderFindings, type FindingField, type FindingKey, type FindingMessage, type FindingParams } from '../../shared/i18n/render-finding.js';
import type { AssertionKind } from './assertion-schema.js';

/**
 * One property of an assertion, compared: what was expected and what the cluster has (plain values), the
 * catalogue key and values that word it in any language (shared/i18n/findings/), and that sentence in English.
 */
export interface Finding extends FindingMessage {
  ok: boolean;
  expected: string;
  actual: string;
  message: string;
}

/** One difference of a failed assertion, as data: both values, its key and values, its English sentence. */
export interface Difference extends FindingMessage {
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
  /** The differences in plain English words, or what was confirmed when it passed. */
  message: string;
  /** What `message` says, one finding each, for rendering in another language (renderFindings). */
  findings: FindingMessage[];
  /** Each difference separately, with both values (empty when it passed). */
  differences: Difference[];
}

/** Formats a value the way messages quote it: `web:1`. */
export function code(value: unknown): string {
  return `\`${String(value)}\``;
}

/** A sentence as data, for a finding that builds on it. */
export function say(key: FindingKey, params: FindingParams = {}): FindingMessage {
  return { key, params };
}

/**
 * A compared property. Its English sentence is worded when first read: most findings pass and are shown only
 * through their assertion's message, and wording through i18next was most of an evaluation's time.
 */
export function finding(ok: boolean, expected: string, actual: string, key: FindingKey, params: FindingParams = {}): Finding {
  let message: string | undefined;
  return Object.defineProperty({ ok, expected, actual, key, params } as Finding, 'message', {
    enumerable: true,
    get: () => (message ??= renderFinding({ key, params }, 'en')),
  });
}

/** What compared properties belong to: a section of the catalogue (`service`, `node`, …) and the values naming it. */
export interface Subject {
  of: 'service' | 'node' | 'stack' | 'network' | 'volume' | 'secret' | 'config' | 'swarm' | 'leader';
  params: FindingParams;
}

/** `subject('service', 'web')`: the service named web, as `{service: 'web'}`. */
export function subject<Of extends Subject['of']>(of: Of, name: string): Subject & { of: Of } {
  return { of, params: { [of]: name } };
}

/**
 * Compares one value of a subject, e.g. the image of service `web` (`field` names it in the catalogue's
 * `fields`; `fieldParams` fill a field name such as label `tier`).
 */
export function compareValue(of: Subject, field: FindingField | undefined, actual: unknown, expected: unknown, fieldParams: FindingParams = {}): Finding {
  const ok = actual === expected;
  const params = { ...of.params, ...(field ? { field } : {}), ...fieldParams, actual: String(actual), expected: String(expected) };
  return finding(ok, String(expected), String(actual), `${of.of}.${ok ? 'fieldOk' : 'field'}` as FindingKey, params);
}

/** Compares a count against an exact value or bounds; `describe` words the actual count. */
export function compareCount(
  actual: number,
  bounds: { count?: number; min?: number; max?: number },
  describe: (n: number) => FindingMessage,
): Finding[] {
  const described = describe(actual);
  const compared = (ok: boolean, expected: string, bound: 'count.exact' | 'count.min' | 'count.max', wanted: number) => (ok
    ? finding(true, expected, String(actual), described.key as FindingKey, described.params)
    : finding(false, expected, String(actual), bound, { described, wanted }));
  const findings: Finding[] = [];
  if (bounds.count !== undefined) findings.push(compared(actual === bounds.count, String(bounds.count), 'count.exact', bounds.count));
  if (bounds.min !== undefined) findings.push(compared(actual >= bounds.min, `>= ${bounds.min}`, 'count.min', bounds.min));
  if (bounds.max !== undefined) findings.push(compared(actual <= bounds.max, `<= ${bounds.max}`, 'count.max', bounds.max));
  return findings;
}

/** Folds the findings of one assertion into its result; the message names every difference. */
export function assertionResult(kind: AssertionKind, findings: Finding[]): AssertionResult {
  const failed = findings.filter((f) => !f.ok);
  const shown = failed.length > 0 ? failed : findings;
  const said = findings.length === 0 ? [say('assertion.nothingToCheck')] : shown.map(({ key, params }) => ({ key, params }));
  return {
    kind,
    passed: findings.length > 0 && failed.length === 0,
    expected: shown.map((f) => f.expected).join('; '),
    actual: shown.map((f) => f.actual).join('; '),
    message: renderFindings(said, 'en'),
    findings: said,
    differences: failed.map(({ expected, actual, message, key, params }) => ({ expected, actual, message, key, params })),
  };
}
