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
