import { z } from 'zod';
import { parsePort } from './assertions/ports.js';
import { DURATION_PATTERN, MEMORY_PATTERN, parseFileMode } from './units.js';

/**
 * The declarative assertions a lesson's ```check block may list. Each assertion is a YAML mapping whose
 * one "kind" key names what it is about (`service: web`), and whose other keys say what must be true.
 * Kinds are looked up by key rather than with a zod union so a typo gets a precise error, not a wall of
 * "invalid union" messages.
 */

const NodeName = z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'a node name like node1');
const Count = z.number().int().min(0);
const Labels = z.record(z.string(), z.string());
/** A Go-style duration as the docker CLI and compose take it (10s, 1m30s, 500ms, 0), or nanoseconds. */
const Duration = z.union([z.number().int().min(0), z.string().regex(DURATION_PATTERN, 'a duration like 10s or 1m30s')]);
/** Memory as the docker CLI and compose take it: 100M, 512m, 512MiB, 1G, or bytes. */
const Memory = z.union([z.number().int().min(0), z.string().regex(MEMORY_PATTERN, 'a size like 100M')]);
const Cpus = z.union([z.number().min(0), z.string().regex(/^\d+(\.\d+)?$/, 'a number of CPUs like 0.5')]);

const Range = z.strictObject({ min: Count.optional(), max: Count.optional() });

export const SwarmAssertion = z.strictObject({
  swarm: NodeName,
  state: z.enum(['inactive', 'pending', 'active', 'locked', 'error']).optional(),
  manager: z.boolean().optional(),
  leader: z.boolean().optional(),
});

/** Compared with the baseline the server recorded when the learner first reached the step (baseline.ts). */
const SinceStepOpened = z.enum(['rotated', 'unchanged']);

export const ClusterAssertion = z.strictObject({
  cluster: z.literal(true),
  task_history_limit: Count.optional(),
  /** Whether each join token was rotated since the step opened, by fingerprint (`join_tokens: {worker: rotated}`). */
  join_tokens: z.strictObject({ worker: SinceStepOpened.optional(), manager: SinceStepOpened.optional() }).optional(),
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
  /** A manager's Raft membership as the leader sees it; a worker has none. */
  reachability: z.enum(['reachable', 'unreachable', 'unknown']).optional(),
  labels: Labels.optional(),
});

/** `8080:80`, `8080:80/udp`, `published=8080,target=80,mode=host`, or compose's long syntax as a mapping. */
const Port = z.union([
  z.string().refine((text) => parsePort(text) !== undefined, 'a port like 8080:80, 8080:80/udp or published=8080,target=80'),
  z.strictObject({
    target: z.number().int(),
    published: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
    protocol: z.enum(['tcp', 'udp', 'sctp']).optional(),
    mode: z.enum(['ingress', 'host']).optional(),
  }),
]);

const Policy = z.strictObject({
  parallelism: Count.optional(),
  delay: Duration.optional(),
  order: z.enum(['stop-first', 'start-first']).optional(),
  failure_action: z.enum(['pause', 'continue', 'rollback']).optional(),
  monitor: Duration.optional(),
  max_failure_ratio: z.number().min(0).max(1).optional(),
});

/** A secret or config attached to a service; uid/gid/mode left out are not compared (the default is 0, 0, 0444). */
const FileRef = z.strictObject({
  source: z.string(),
  target: z.string().optional(),
  uid: z.union([z.string(), z.number().int()]).transform(String).optional(),
  gid: z.union([z.string(), z.number().int()]).transform(String).optional(),
  mode: z.union([z.number().int(), z.string()]).refine((m) => !Number.isNaN(parseFileMode(m)), "a file mode like '0440'").optional(),
});
const RestartPolicy = z.strictObject({
  condition: z.enum(['none', 'on-failure', 'any']).optional(),
  delay: Duration.optional(),
  max_attempts: Count.optional(),
  window: Duration.optional(),
});
const Resources = z.strictObject({ cpus: Cpus.optional(), memory: Memory.optional() });

export const ServiceAssertion = z.strictObject({
  service: z.string().min(1),
  /** Only where the lesson asks for a stack: the service must carry this stack's namespace label. */
  stack: z.string().min(1).optional(),
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
  /** Read from the engine's UpdateStatus and PreviousSpec: `automatic` (failure action), `manual` (`docker service rollback`). */
  rolled_back: z.union([z.boolean(), z.enum(['automatic', 'manual'])]).optional(),
  restart: RestartPolicy.optional(),
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
  /** Slots (nodes, for a global service) where a task failed or was rejected and a newer task runs now. */
  replaced_failures: Range.optional(),
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
export type RestartExpectation = z.infer<typeof RestartPolicy>;
export type FileExpectation = z.infer<typeof FileRef>;
