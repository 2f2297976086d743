import { z } from 'zod';

/**
 * Request and message shapes shared by the server and the browser client.
 * Every incoming body or websocket frame is parsed with these before use.
 */

export const NODE_NAME = /^[a-z][a-z0-9-]{0,15}$/;
export const NodeNameSchema = z.string().regex(NODE_NAME, 'a node name is 1-16 lowercase letters, digits or dashes, starting with a letter');
export const NodeRoleSchema = z.enum(['manager', 'worker']);
export const TemplateNameSchema = z.enum(['single', 'swarm-1m2w', 'swarm-3m2w']);

export const NodeRequestSchema = z.strictObject({
  name: NodeNameSchema,
  role: NodeRoleSchema.optional(),
});

export const CreateSessionSchema = z
  .strictObject({
    template: TemplateNameSchema.optional(),
    nodes: z.array(NodeRequestSchema).min(1).max(5).optional(),
    swarm: z.boolean().default(false),
    lesson: z.string().max(100).optional(),
  })
  .refine((body) => !(body.template && body.nodes), { message: 'give either a template or a list of nodes, not both' });

export const AddNodeSchema = z.strictObject({
  name: NodeNameSchema.optional(),
  role: NodeRoleSchema.optional(),
});

export const ExecSchema = z.strictObject({
  command: z.string().min(1, 'command must not be empty'),
  timeoutSeconds: z.number().int().min(1).max(600).optional(),
});

export type TemplateName = z.infer<typeof TemplateNameSchema>;
export type NodeRole = z.infer<typeof NodeRoleSchema>;
export type CreateSessionRequest = z.infer<typeof CreateSessionSchema>;

export interface NodeView {
  name: string;
  /** Role in the swarm the server formed (absent when the node was not placed in a swarm by the server). */
  role?: NodeRole;
  address: string;
  status: 'running' | 'down';
}

export interface SessionView {
  id: string;
  template: TemplateName | 'custom';
  swarm: boolean;
  lesson?: string;
  nodes: NodeView[];
  createdAt: string;
  expiresAt: string;
}

export interface CreatedSessionView extends SessionView {
  token: string;
}

export interface ExecResultView {
  exitCode: number;
  output: string;
  truncated: boolean;
  timedOut: boolean;
}

export interface ErrorView {
  error: { status: number; code: string; message: string };
}

// ---------------------------------------------------------------------------
// Terminal websocket (docs/terminals.md). Binary frames carry terminal bytes
// both ways; text frames carry these JSON control messages.

export const TERMINAL_MAX_COLS = 500;
export const TERMINAL_MAX_ROWS = 500;

export const TerminalResizeSchema = z.strictObject({
  type: z.literal('resize'),
  cols: z.number().int().min(1).max(TERMINAL_MAX_COLS),
  rows: z.number().int().min(1).max(TERMINAL_MAX_ROWS),
});

export const TerminalPingSchema = z.strictObject({
  type: z.literal('ping'),
  /** Echoed back in the pong, so a client can measure round trips. */
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** Client-side flow control: a client whose terminal emulator falls behind asks the server to hold the output. */
export const TerminalFlowSchema = z.strictObject({
  type: z.literal('flow'),
  paused: z.boolean(),
});

export const TerminalClientMessageSchema = z.discriminatedUnion('type', [TerminalResizeSchema, TerminalPingSchema, TerminalFlowSchema]);
export type TerminalClientMessage = z.infer<typeof TerminalClientMessageSchema>;

/** Query of the terminal websocket URL, besides `token`. */
export const TerminalQuerySchema = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  epoch: z.string().regex(/^[a-z0-9]{1,32}$/).optional(),
  cols: z.coerce.number().int().min(1).max(TERMINAL_MAX_COLS).default(80),
  rows: z.coerce.number().int().min(1).max(TERMINAL_MAX_ROWS).default(24),
});

export type TerminalServerMessage =
  /**
   * Sent first. The next binary frame is the replay (possibly empty) of the
   * blocks after `since` up to `last`; each binary frame after it is one more
   * block (last + 1, last + 2, …). `reset`: the client's screen is stale
   * (other epoch, or its blocks fell out of the buffer) and should be cleared.
   */
  | { type: 'attached'; epoch: string; last: number; reset: boolean; readonly: boolean }
  | { type: 'exit'; code: number | null }
  | { type: 'error'; message: string }
  | { type: 'pong'; id?: number };

export { TERMINAL_CLOSE } from './terminal-codes.js';

// ---------------------------------------------------------------------------
// Node status for the workspace: swarm role and published ports, one exec per node.

export interface PublishedPortView {
  port: number;
  target?: number;
  protocol: 'tcp' | 'udp';
  /** Container or service name that publishes it. */
  owner: string;
  source: 'container' | 'service';
}

export interface NodeStatusView {
  name: string;
  reachable: boolean;
  swarm: { state: string; role: 'leader' | 'manager' | 'worker' | null };
  ports: PublishedPortView[];
}

export interface SessionStatusView {
  nodes: NodeStatusView[];
  checkedAt: string;
}
