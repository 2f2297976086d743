import type { ZodMiniType } from 'zod/mini';
import type { LearnerMessage } from '../../shared/classroom-protocol.js';
import { LearnerMessageSchema } from '../../shared/view-schemas.js';
import type { Credentials } from './storage.js';
import { sessionStreamUrl } from './urls.js';

/** Parses one server-sent event's data with a schema from shared/; anything else is dropped. */
export function parseStreamData<T>(schema: ZodMiniType<T>, data: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Listens to a session's server-sent events (instructor messages, reset, end, extension); returns a function that stops. */
export function listenToSession(c: Credentials, onMessage: (message: LearnerMessage) => void): () => void {
  const source = new EventSource(sessionStreamUrl(c));
  source.onmessage = (event: MessageEvent<string>) => {
    const message = parseStreamData(LearnerMessageSchema, event.data);
    if (message) onMessage(message);
  };
  return () => source.close();
}
