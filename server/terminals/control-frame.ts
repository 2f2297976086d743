import { TerminalClientMessageSchema, type TerminalClientMessage } from '../../shared/protocol.js';
import { firstIssueMessage } from '../zod-message.js';

export const MAX_CONTROL_FRAME_BYTES = 1024;

export type ControlParse = { ok: true; message: TerminalClientMessage } | { ok: false; error: string };

/** Parses and validates one text frame from a terminal client; never throws. */
export function parseControlFrame(text: string): ControlParse {
  if (text.length > MAX_CONTROL_FRAME_BYTES) return { ok: false, error: `a control frame is at most ${MAX_CONTROL_FRAME_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'a text frame must be a JSON control message' };
  }
  const result = TerminalClientMessageSchema.safeParse(json);
  if (!result.success) return { ok: false, error: `invalid control message: ${firstIssueMessage(result.error)}` };
  return { ok: true, message: result.data };
}
