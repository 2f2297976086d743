import { z } from 'zod';
import { ASSERTION_KINDS, ASSERTION_SCHEMAS, type Assertion, type AssertionKind } from './assertion-schema.js';

/** One graded check, as written in a ```check block (YAML). */
/** A check's stable id: kebab-case, unique within its lesson; results and translations are keyed by it. */
export const CHECK_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const CheckHeader = z.strictObject({
  id: z.string().regex(CHECK_ID_PATTERN, 'a check id is kebab-case, e.g. node2-joined').optional(),
  title: z.string().min(1),
  points: z.number().int().min(0).default(1),
  hint: z.string().optional(),
  /** Whether the page may offer the step's solution blocks for this check (false for graded exercises). */
  solution: z.boolean().default(true),
  /** What the lesson runner expects before the step's commands ran: by default the check fails. */
  expect_before: z.enum(['pass', 'fail', 'any']).default('fail'),
  /** A check of the starting state ("not in a swarm yet"): it cannot hold once the learner acts, so it is worth no points. */
  precondition: z.boolean().default(false),
  assert: z.array(z.unknown()).min(1, 'a check needs at least one assertion'),
});

export interface Check {
  /** As written in the block; lessons without one fall back to a positional id (see parse-lesson). */
  declaredId?: string;
  title: string;
  points: number;
  hint?: string;
  solution: boolean;
  expectBefore: 'pass' | 'fail' | 'any';
  /** Set (true) only on a check of the starting state; see CheckHeader. */
  precondition?: boolean;
  assertions: Assertion[];
}

/** A problem in a check, located by its path inside the YAML so the linter can name the line. */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

function issuesOf(error: z.ZodError, prefix: (string | number)[]): SchemaIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')],
    message: issue.message,
  }));
}

/** Validates one assertion; its kind is its first key. */
export function parseAssertion(raw: unknown, path: (string | number)[] = []): { assertion?: Assertion; issues: SchemaIssue[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { issues: [{ path, message: 'an assertion is a mapping such as `service: web`' }] };
  }
  // The first key names the kind (`service: web`); later keys may reuse kind words as fields (`leader: true`).
  const first = Object.keys(raw)[0];
  if (!(ASSERTION_KINDS as string[]).includes(first)) {
    return { issues: [{ path, message: `unknown assertion kind \`${first ?? ''}\`; an assertion starts with one of: ${ASSERTION_KINDS.join(', ')}` }] };
  }
  const kind = first as AssertionKind;
  const parsed = ASSERTION_SCHEMAS[kind].safeParse(raw);
  if (!parsed.success) return { issues: issuesOf(parsed.error, path) };
  return { assertion: { kind, ...parsed.data } as Assertion, issues: [] };
}

/** Validates a parsed ```check block. */
export function parseCheck(raw: unknown): { check?: Check; issues: SchemaIssue[] } {
  const header = CheckHeader.safeParse(raw);
  if (!header.success) return { issues: issuesOf(header.error, []) };
  const issues: SchemaIssue[] = [];
  const assertions: Assertion[] = [];
  header.data.assert.forEach((item, index) => {
    const result = parseAssertion(item, ['assert', index]);
    issues.push(...result.issues);
    if (result.assertion) assertions.push(result.assertion);
  });
  if (issues.length > 0) return { issues };
  const { id, title, points, hint, solution, expect_before, precondition } = header.data;
  return { check: { ...(id ? { declaredId: id } : {}), title, points, hint, solution, expectBefore: expect_before, ...(precondition ? { precondition } : {}), assertions }, issues };
}
