import type { z } from 'zod';
import { HttpError } from '../errors.js';
import { firstIssueMessage } from '../zod-message.js';

/** Parses a request body with a schema; the first problem becomes a 400 with its path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined) throw new HttpError(400, 'bad_request', 'the request needs a JSON body (Content-Type: application/json)');
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError(400, 'bad_request', firstIssueMessage(result.error));
  return result.data;
}
