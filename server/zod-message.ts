import type { z } from 'zod';

/** The first problem zod found, with its path: what a request or a frame is told when it does not parse. */
export function firstIssueMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
