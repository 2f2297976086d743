import { z } from 'zod';

/**
 * The declarative assertions a lesson's ```check block may list. Each assertion is a YAML mapping whose
 * one "kind" key names what it is about (`service: web`), and whose other keys say what must be true.
 * Kinds are looked up by key rather than with a zod union so a typo gets a precise error, not a wall of
 * "invalid union" messages.
 */

const NodeName = z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'a node name like node1');
const Count = z.number().int().min(0);
const Labels = z.record(z.string(), z.string());
/** A Go-style duration as the docker CLI takes it: 10s, 1m30s, 500ms, 0s. */
const Duration = z.string().regex(/^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$|^0$/, 'a duration like 10s or 1m30s');
/** Memory as the docker CLI takes it: 100M, 1G, 512k, or bytes. */
const Memory = z.union([z.number().int().min(0), z.string().regex(/^\d+(\.\d+)?[bkmgBKMG]?$/, 'a size like 100M')]);
const Cpus = z.union([z.number().min(0), z.string().regex(/^\d+(\.\d+)?$/, 'a number of CPUs like 0.5')]);

const Range = z.strictObject({ min: Count.optional(), max: Count.optional() });

export const SwarmAssertion = z.strictObject({
  swarm: NodeName,
  state: z.enum(['inactive', 'pending', 'active', 'locked', 'error']).optional(),
  manager: z.boolean().optional(),
  leader: z.boolean().optional(),
});

export const ClusterAssertion = z.strictObject({
  cluster: z.literal(true),
  task_history_limit: Count.optional(),
});

export const NodesAssertion = z.strictObject({
  nodes: z.strictObject({
    role: z.enum(['manager', 'worker']).optional(),
    availability: z.enum(['active', 'pause', 'drain']).optional(),
    state: z.enum(['ready', 'down', 'unknown', 'disconnected']).optional(),
    reachability: z.enum(['reachable', 'unreachable', 'unknown']).optional(),
  }),
  count: Count.optional(),
  min: Count.optional(),
  max: Count.optional(),
});

export const LeaderAssertion = z.strictObject({
  leader: z.union([NodeName, z.strictObject({ not: NodeName })]),
});

export const NodeAssertion = z.strictObject({
  node: NodeName,
  absent: z.boolean().optional(),
  role: z.enum(['manager', 'worker']).optional(),
  availability: z.enum(['active', 'pause', 'drain']).optional(),
  state: z.enum(['ready', 'down', 'unknown', 'disconnected']).optional(),
  labels: Labels.optional(),
});

const Port = z.strictObject({
  target: z.number().int(),
  published: z.number().int().optional(),
  protocol: z.enum(['tcp', 'udp', 'sctp']).optional(),
  mode: z.enum(['ingress', 'host']).optional(),
});

const Policy = z.strictObject({
  parallelism: Count.optional(),
  delay: Duration.optional(),
  order: z.enum(['stop-first', 'start-first']).optional(),
  failure_action: z.enum(['pause', 'continue', 'rollback']).optional(),
  monitor: Duration.optional(),
  max_failure_ratio: z.number().min(0).max(1).optional(),
});

const FileRef = z.strictObject({ source: z.string(), target: z.string().optional() });
const Resources = z.strictObject({ cpus: Cpus.optional(), memory: Memory.optional() });

export const ServiceAssertion = z.strictObject({
  service: z.string().min(1),
  absent: z.boolean().optional(),
  mode: z.enum(['replicated', 'global']).optional(),
  replicas: Count.optional(),
  running: Count.optional(),
  image: z.string().optional(),
  ports: z.array(Port).optional(),
  constraints: z.array(z.string()).optional(),
  update: Policy.optional(),
  rollback: Policy.optional(),
  update_state: z.enum(['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed']).optional(),
  secrets: z.array(FileRef).optional(),
  configs: z.array(FileRef).optional(),
  networks: z.array(z.string()).optional(),
  limits: Resources.optional(),
  reservations: Resources.optional(),
  healthcheck: z.boolean().optional(),
  env: Labels.optional(),
  endpoint_mode: z.enum(['vip', 'dnsrr']).optional(),
  labels: Labels.optional(),
});

const TaskState = z.enum(['new', 'pending', 'assigned', 'accepted', 'preparing', 'starting', 'running', 'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);

export const TasksAssertion = z.strictObject({
  tasks: z.string().min(1),
  state: z.union([TaskState, z.array(TaskState).min(1)]).optional(),
  node: NodeName.optional(),
  count: Count.optional(),
  min: Count.optional(),
  max: Count.optional(),
  on_nodes: z.array(NodeName).optional(),
  not_on: z.array(NodeName).optional(),
  min_nodes: Count.optional(),
  per_slot: Range.optional(),
});

export const StackAssertion = z.strictObject({
  stack: z.string().min(1),
  absent: z.boolean().optional(),
  services: Count.optional(),
});

export const NetworkAssertion = z.strictObject({
  network: z.string().min(1),
  absent: z.boolean().optional(),
  driver: z.string().optional(),
  attachable: z.boolean().optional(),
  scope: z.enum(['swarm', 'local', 'global']).optional(),
  labels: Labels.optional(),
});

export const VolumeAssertion = z.strictObject({
  volume: z.string().min(1),
  node: NodeName.optional(),
  absent: z.boolean().optional(),
  driver: z.string().optional(),
  labels: Labels.optional(),
});

export const SecretAssertion = z.strictObject({ secret: z.string().min(1), absent: z.boolean().optional(), labels: Labels.optional() });
export const ConfigAssertion = z.strictObject({ config: z.string().min(1), absent: z.boolean().optional(), labels: Labels.optional() });

/** Where a probe runs and what it reads. Exactly one of command, file and url. */
export const ProbeSpec = z
  .strictObject({
    node: NodeName.optional(),
    service: z.string().min(1).optional(),
    command: z.string().min(1).optional(),
    file: z.string().startsWith('/').optional(),
    url: z.url().optional(),
  })
  .refine((p) => [p.command, p.file, p.url].filter((x) => x !== undefined).length === 1, { message: 'a probe reads exactly one of command, file or url' })
  .refine((p) => p.node !== undefined || p.service !== undefined, { message: 'a probe runs on a node, in a service container, or both' });

export const ProbeAssertion = z.strictObject({
  probe: ProbeSpec,
  contains: z.string().optional(),
  not_contains: z.string().optional(),
  equals: z.string().optional(),
  matches: z.string().optional(),
  exit_code: z.number().int().optional(),
});

export const CustomAssertion = z.strictObject({
  custom: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a custom check name in kebab-case'),
  args: z.record(z.string(), z.unknown()).optional(),
});

export const ASSERTION_SCHEMAS = {
  swarm: SwarmAssertion,
  cluster: ClusterAssertion,
  nodes: NodesAssertion,
  leader: LeaderAssertion,
  node: NodeAssertion,
  service: ServiceAssertion,
  tasks: TasksAssertion,
  stack: StackAssertion,
  network: NetworkAssertion,
  volume: VolumeAssertion,
  secret: SecretAssertion,
  config: ConfigAssertion,
  probe: ProbeAssertion,
  custom: CustomAssertion,
} as const;

export type AssertionKind = keyof typeof ASSERTION_SCHEMAS;
export const ASSERTION_KINDS = Object.keys(ASSERTION_SCHEMAS) as AssertionKind[];

export type Assertion = {
  [K in AssertionKind]: { kind: K } & z.infer<(typeof ASSERTION_SCHEMAS)[K]>;
}[AssertionKind];
export type AssertionOf<K extends AssertionKind> = Extract<Assertion, { kind: K }>;
export type ProbeSpecification = z.infer<typeof ProbeSpec>;
export type UpdatePolicyExpectation = z.infer<typeof Policy>;
export type ResourceExpectation = z.infer<typeof Resources>;
