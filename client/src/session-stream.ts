import type { LearnerMessage } from '../../shared/classroom-protocol.js';
import type { Credentials } from './api.js';

const TYPES = new Set(['message', 'session-reset', 'session-ended', 'session-extended']);

/** Listens to a session's server-sent events (instructor messages, reset, end, extension); returns a function that stops. */
export function listenToSession(c: Credentials, onMessage: (message: LearnerMessage) => void): () => void {
  const source = new EventSource(`/api/sessions/${c.id}/stream?token=${encodeURIComponent(c.token)}`);
  source.onmessage = (event: MessageEvent<string>) => {
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message && typeof message === 'object' && TYPES.has(String((message as { type?: unknown }).type))) onMessage(message as LearnerMessage);
  };
  return () => source.close();
}
