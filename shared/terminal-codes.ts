/** Close codes the terminal websocket uses besides the standard ones (no zod here: the browser bundle imports it). */
export const TERMINAL_CLOSE = {
  /** The shell exited; connect again for a fresh one. */
  exited: 4000,
  /** The session ended; do not reconnect. */
  sessionEnded: 4001,
  /** The terminal could not start. */
  startFailed: 4002,
} as const;
