import { existsSync, readFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Configuration is read once at start from an optional YAML/JSON file and from
 * WORKSHOP_* environment variables (which win), validated, and frozen. Nothing
 * else in the server reads the environment.
 */
/**
 * A boolean written as one: true/false (or 1/0 from the environment). YAML 1.2 reads `off` and `no` as strings,
 * which a coercing parser turns into true; those are refused with a message instead of read the wrong way.
 */
const strictBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'write true or false' })
  .transform((value) => value === true || value === 'true' || value === '1');

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/(\d|[12]\d|3[0-2])$/;

/**
 * One Docker engine of the fleet: `local` (the socket, or DOCKER_HOST), `unix:///path`, `tcp://host:port` (with
 * `tls` client certificate paths: the engine's API is root on that host, so never without TLS beyond a lab), or
 * `ssh://user@host` (the ssh agent's keys). Limits bound what the server places there; unset, the engine's memory decides.
 */
const EngineSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lowercase letters, digits and dashes'),
    address: z.string().regex(/^(local|unix:\/\/\/.+|tcp:\/\/[^/\s]+|ssh:\/\/[^/\s]+)$/, 'local, unix:///path, tcp://host:port or ssh://user@host'),
    tls: z.object({ ca: z.string().min(1), cert: z.string().min(1), key: z.string().min(1) }).strict().optional(),
    limits: z
      .object({
        /** Nodes this engine may hold at once. */
        nodes: z.coerce.number().int().min(1).optional(),
        /** Memory (MiB) this engine's nodes may take in all, counted by their memory limits. */
        memoryMb: z.coerce.number().int().min(128).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const ConfigSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Loopback by default: a lab on this machine, open to its user. A class sets `0.0.0.0` (and gets `code` access). */
    host: z.string().min(1).default('127.0.0.1'),
    publicUrl: z.string().url().optional(),
    dataDir: z.string().min(1).default('./data'),
    /** Namespace for labels, so two servers (or test runs) on one engine never touch each other's containers. */
    instance: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lowercase letters, digits and dashes').default('default'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `auto`: progress bars and readable logs on a terminal, JSON lines otherwise. */
    logFormat: z.enum(['auto', 'pretty', 'json']).default('auto'),
    limits: z
      .object({
        maxSessions: z.coerce.number().int().min(1).default(40),
        maxNodesTotal: z.coerce.number().int().min(1).default(150),
        maxNodesPerSession: z.coerce.number().int().min(1).max(5).default(5),
        // tmpfs pages count against the memory limit, so the disk is part of it, not on top of it.
        nodeMemoryMb: z.coerce.number().int().min(128).default(1024),
        nodePids: z.coerce.number().int().min(64).default(2048),
        nodeDiskMb: z.coerce.number().int().min(64).default(512),
        nodeCpus: z.coerce.number().min(0.1).default(1),
        /** Nodes starting at the same time; more wait in a queue (starting a daemon is CPU-bound). */
        concurrentNodeStarts: z.coerce.number().int().min(1).max(64).default(4),
        execTimeoutSeconds: z.coerce.number().int().min(1).max(600).default(180),
        /** Deadline of a short Docker Engine call (inspect, list); starting containers gets 4×, exec attach 2×, images 8× (server/engine/engine-deadline.ts). */
        engineTimeoutSeconds: z.coerce.number().min(0.5).max(300).default(15),
        execMaxOutputBytes: z.coerce.number().int().min(1024).default(1024 * 1024),
        commandMaxBytes: z.coerce.number().int().min(64).default(16 * 1024),
        /** Open files per node (soft and hard); must not exceed the engine's own hard limit. */
        nodeOpenFiles: z.coerce.number().int().min(1024).default(16384),
        /** A node's container log: size of one file and how many are kept, so no node can fill the host's disk. */
        nodeLogMb: z.coerce.number().int().min(1).max(1024).default(10),
        nodeLogFiles: z.coerce.number().int().min(1).max(20).default(3),
      })
      .prefault({}),
    sessions: z
      .object({
        idleMinutes: z.coerce.number().min(0.05).default(60),
        maxMinutes: z.coerce.number().min(0.05).default(240),
        sweepSeconds: z.coerce.number().min(0.5).default(15),
        /** Sessions kept started ahead of demand, by template (`+swarm` for pre-formed): {"swarm-1m2w+swarm": 2}. */
        pool: z
          .record(z.string().regex(/^(single|swarm-1m2w|swarm-3m2w)(\+swarm)?$/, 'a pool key is a template name, optionally followed by +swarm'), z.coerce.number().int().min(0).max(50))
          .default({}),
        /** Started nodes kept waiting for any template (the generic pool): a session takes, renames and attaches them. */
        genericPool: z.coerce.number().int().min(0).max(300).default(0),
        /**
         * What an event's warm pool keeps: pre-formed sessions of its first lesson's template (`template`: learners
         * join in a fraction of a second) or waiting nodes of the generic pool (`generic`: fills in half the time, but
         * thirty learners joining together wait for their networks and swarms; docs/benchmarks.md).
         */
        eventPool: z.enum(['generic', 'template']).default('template'),
        /**
         * Session networks made ahead of their sessions (one engine only): as many as the start queue is wide, plus
         * one per learner of an event warmed as waiting nodes. Off by default: a class gains a few seconds, and a
         * network made ahead hides a hung engine from a new session's first call (docs/benchmarks.md).
         */
        spareNetworks: strictBoolean.default(false),
      })
      .prefault({}),
    images: z
      .object({
        node: z.string().min(1).default('swarm-workshop/node'),
        registryMirror: z.string().url().optional(),
        debianMirror: z.string().url().default('http://deb.debian.org/debian'),
      })
      .prefault({}),
    /** Session networks take /24s from this range (256 sessions for a /16); it must not overlap the host's networks. */
    subnetPool: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[0-9]|2[0-4]|[89])$/, 'an IPv4 CIDR of /8 to /24, e.g. 10.201.0.0/16').default('10.201.0.0/16'),
    /** The host firewall around session networks (server/nodes/node-fence.ts). */
    nodes: z
      .object({
        /** Install the fence; refuse to start when it cannot be installed. false only for an engine on another host. */
        fence: strictBoolean.default(true),
        /** Where nodes may connect beyond their session: nowhere (false), anywhere but the host and metadata (true), or these CIDRs. */
        egress: z.union([strictBoolean, z.array(z.string().regex(IPV4_CIDR, 'an IPv4 CIDR such as 192.168.5.0/24'))]).default(false),
        /** TCP ports on the host itself that nodes may reach (e.g. a registry mirror running there). */
        hostPorts: z.array(z.coerce.number().int().min(1).max(65535)).default([]),
      })
      .prefault({}),
    localProvider: strictBoolean.default(false),
    lessonsDir: z.string().min(1).default(new URL('../lessons/', import.meta.url).pathname),
    /** Set at install; there is no default password. `workshop set-password` stores one too. */
    instructorPassword: z.string().min(10, 'the instructor password needs at least 10 characters').optional(),
    classroom: z
      .object({
        /** How often learners' current steps are re-checked in the background (0: only on their action). */
        checkIntervalSeconds: z.coerce.number().min(0).default(60),
        stuckMinutes: z.coerce.number().min(1).default(10),
      })
      .prefault({}),
    // ── Who may start sessions, where learners' apps are served, and per-session bounds (docs/configuration.md). ──
    access: z
      .object({
        /** `open`: anyone who reaches the server starts sessions; `code`: only through an event join or `access.code`. Default: `open` on loopback only. */
        mode: z.enum(['open', 'code']).optional(),
        /** A shared code that lets self-paced learners start sessions in `code` mode (header `X-Access-Code`). */
        code: z.string().min(8, 'an access code needs at least 8 characters').optional(),
        /** Sessions one client address may hold at once outside events. Default: 3 in `code` mode, no cap in `open` mode (a class behind one NAT address). */
        sessionsPerClient: z.coerce.number().int().min(1).optional(),
        /** Session creations one client address may ask for per minute. Default: 10 in `code` mode, no limit in `open` mode. */
        createPerMinute: z.coerce.number().int().min(1).optional(),
      })
      .prefault({}),
    ports: z
      .object({
        /** The learners' apps' own listener: a port (0: any free one). Default: the workshop's port + 1. */
        listen: z.coerce.number().int().min(0).max(65535).optional(),
        /** With a wildcard DNS name, each app gets its own origin: `<session>-<node>-<port>.<domain>`. */
        domain: z.string().regex(/^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'a DNS name such as apps.example.com').optional(),
        /** How browsers reach the app listener (behind a reverse proxy); its scheme and port are kept, a domain replaces its host. */
        publicUrl: z.string().url().optional(),
        /** A link to an app is good this long; the cookie it turns into lasts `cookieMinutes` (both capped by the session). */
        linkSeconds: z.coerce.number().int().min(5).max(3600).default(60),
        cookieMinutes: z.coerce.number().min(1).max(24 * 60).default(60),
      })
      .prefault({}),
    perSession: z
      .object({
        /** A learner's own commands (the exec route) running at once; more are refused with 429. */
        execs: z.coerce.number().int().min(1).max(64).default(4),
        /** The server's commands for checks and status running at once on one session; more wait their turn. */
        checks: z.coerce.number().int().min(1).max(64).default(4),
        /** Websockets and port-proxy connections open at once. */
        sockets: z.coerce.number().int().min(1).max(1000).default(32),
      })
      .prefault({}),

    // Authoring and operations (issue 13): operators' own lessons with live reload, and the metrics endpoint.
    /** Folders of an operator's own lessons, served next to the built-in ones; a lesson with a built-in lesson's id replaces it. */
    lessonsDirs: z.array(z.string().min(1)).default([]),
    /** false: serve only the lessons of `lessonsDirs`, not the built-in ones of `lessonsDir`. */
    builtInLessons: strictBoolean.default(true),
    /** Re-reads a lesson when its file changes and shows its lint problems on its page (docs/lessons.md). */
    watchLessons: strictBoolean.default(true),
    /** When set, `GET /metrics` needs `Authorization: Bearer <this>` (docs/operations.md). */
    metricsToken: z.string().min(16, 'the metrics token needs at least 16 characters').optional(),

    // Several Docker engines (issue 11, docs/scaling.md). Empty: the one engine of DOCKER_HOST or the local socket.
    /** The Docker engines sessions are placed on; each session's nodes all live on one of them. */
    engines: z.array(EngineSchema).default([]),
    fleet: z
      .object({
        /** How often every engine is pinged. */
        pingSeconds: z.coerce.number().min(0.2).max(300).default(5),
        /** A ping that takes longer than this has failed. */
        pingTimeoutSeconds: z.coerce.number().min(0.1).max(60).default(3),
        /** Failed pings in a row before an engine is marked down (and its learners are moved). */
        failuresBeforeDown: z.coerce.number().int().min(1).max(100).default(3),
      })
      .prefault({}),
  })
  .strict();

export type Config = Readonly<z.infer<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type EngineConfig = Readonly<z.infer<typeof EngineSchema>>;

/** Environment variable → config path. Kept explicit so `docs/` can list them. */
export const ENV_KEYS: Record<string, string> = {
  WORKSHOP_PORT: 'port',
  WORKSHOP_HOST: 'host',
  WORKSHOP_PUBLIC_URL: 'publicUrl',
  WORKSHOP_DATA_DIR: 'dataDir',
  WORKSHOP_INSTANCE: 'instance',
  WORKSHOP_LOG_LEVEL: 'logLevel',
  WORKSHOP_LOG_FORMAT: 'logFormat',
  WORKSHOP_MAX_SESSIONS: 'limits.maxSessions',
  WORKSHOP_MAX_NODES: 'limits.maxNodesTotal',
  WORKSHOP_MAX_NODES_PER_SESSION: 'limits.maxNodesPerSession',
  WORKSHOP_NODE_MEMORY_MB: 'limits.nodeMemoryMb',
  WORKSHOP_NODE_PIDS: 'limits.nodePids',
  WORKSHOP_NODE_DISK_MB: 'limits.nodeDiskMb',
  WORKSHOP_NODE_CPUS: 'limits.nodeCpus',
  WORKSHOP_CONCURRENT_NODE_STARTS: 'limits.concurrentNodeStarts',
  WORKSHOP_EXEC_TIMEOUT_SECONDS: 'limits.execTimeoutSeconds',
  WORKSHOP_ENGINE_TIMEOUT_SECONDS: 'limits.engineTimeoutSeconds',
  WORKSHOP_IDLE_MINUTES: 'sessions.idleMinutes',
  WORKSHOP_MAX_MINUTES: 'sessions.maxMinutes',
  WORKSHOP_POOL: 'sessions.pool',
  WORKSHOP_GENERIC_POOL: 'sessions.genericPool',
  WORKSHOP_EVENT_POOL: 'sessions.eventPool',
  WORKSHOP_SPARE_NETWORKS: 'sessions.spareNetworks',
  WORKSHOP_NODE_IMAGE: 'images.node',
  WORKSHOP_REGISTRY_MIRROR: 'images.registryMirror',
  WORKSHOP_DEBIAN_MIRROR: 'images.debianMirror',
  WORKSHOP_LOCAL_PROVIDER: 'localProvider',
  WORKSHOP_NODE_FENCE: 'nodes.fence',
  WORKSHOP_NODE_EGRESS: 'nodes.egress',
  WORKSHOP_NODE_HOST_PORTS: 'nodes.hostPorts',
  WORKSHOP_NODE_OPEN_FILES: 'limits.nodeOpenFiles',
  WORKSHOP_NODE_LOG_MB: 'limits.nodeLogMb',
  WORKSHOP_NODE_LOG_FILES: 'limits.nodeLogFiles',
  WORKSHOP_SUBNET_POOL: 'subnetPool',
  WORKSHOP_LESSONS_DIR: 'lessonsDir',
  WORKSHOP_INSTRUCTOR_PASSWORD: 'instructorPassword',
  WORKSHOP_CHECK_INTERVAL_SECONDS: 'classroom.checkIntervalSeconds',
  WORKSHOP_STUCK_MINUTES: 'classroom.stuckMinutes',
  WORKSHOP_ACCESS_MODE: 'access.mode',
  WORKSHOP_ACCESS_CODE: 'access.code',
  WORKSHOP_SESSIONS_PER_CLIENT: 'access.sessionsPerClient',
  WORKSHOP_SESSIONS_PER_MINUTE: 'access.createPerMinute',
  WORKSHOP_APPS_PORT: 'ports.listen',
  WORKSHOP_APPS_DOMAIN: 'ports.domain',
  WORKSHOP_APPS_PUBLIC_URL: 'ports.publicUrl',
  WORKSHOP_LESSONS_DIRS: 'lessonsDirs',
  WORKSHOP_BUILTIN_LESSONS: 'builtInLessons',
  WORKSHOP_WATCH_LESSONS: 'watchLessons',
  WORKSHOP_METRICS_TOKEN: 'metricsToken',
};

export class ConfigError extends Error {}

/** A few settings have a compact form in the environment: lists as `a,b`, egress as a boolean or CIDRs, the pool as `key=count,key=count`. */
function fromEnvironment(path: string, value: string): unknown {
  const list = () => value.split(',').map((item) => item.trim()).filter(Boolean);
  if (path === 'nodes.hostPorts') return list();
  if (path === 'nodes.egress') return ['true', 'false', '1', '0'].includes(value.trim()) ? value.trim() : list();
  if (path === 'lessonsDirs') return value.split(delimiter).filter(Boolean);
  if (path === 'sessions.pool') {
    return Object.fromEntries(
      value.split(',').filter(Boolean).map((pair) => {
        const [key, count] = pair.split('=');
        return [key.trim(), count?.trim() ?? ''];
      }),
    );
  }
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cursor = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof cursor[key] !== 'object' || cursor[key] === null) cursor[key] = {};
    cursor = cursor[key] as Record<string, unknown>;
  }
  cursor[keys[keys.length - 1]] = value;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${path}: expected a mapping at the top level`);
  return parsed as Record<string, unknown>;
}

/** Builds the config from a file, the environment and explicit overrides (tests pass these). */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; overrides?: ConfigInput; file?: string } = {}): Config {
  const env = options.env ?? {};
  const filePath = options.file ?? env.WORKSHOP_CONFIG ?? (existsSync('workshop.yaml') ? 'workshop.yaml' : undefined);
  const raw: Record<string, unknown> = filePath ? readConfigFile(resolve(filePath)) : {};
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, fromEnvironment(path, value));
  }
  const merged = mergeDeep(raw, (options.overrides ?? {}) as Record<string, unknown>);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  if (config.sessions.idleMinutes > config.sessions.maxMinutes) {
    throw new ConfigError('invalid configuration:\n  sessions.idleMinutes: must not exceed sessions.maxMinutes');
  }
  const names = config.engines.map((engine) => engine.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new ConfigError(`invalid configuration:\n  engines: the name ${repeated} is used twice`);
  const tlsOverPlainTcp = config.engines.find((engine) => engine.tls && !engine.address.startsWith('tcp://'));
  if (tlsOverPlainTcp) throw new ConfigError(`invalid configuration:\n  engines.${tlsOverPlainTcp.name}.tls: TLS certificates go with a tcp:// address`);
  return deepFreeze({ ...config, dataDir: resolve(config.dataDir) });
}

/** The server's and the command line's configuration: the config file and this process's environment. */
export function loadConfigFromEnvironment(): Config {
  return loadConfig({ env: process.env });
}

function mergeDeep(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? mergeDeep(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** `access.mode` as configured, else safe by default: `open` only when the server listens on loopback alone. */
export function accessMode(config: Config): 'open' | 'code' {
  return config.access.mode ?? (LOOPBACK_HOSTS.has(config.host) || config.host.startsWith('127.') ? 'open' : 'code');
}

/** Who may start sessions, with the defaults resolved: caps per client address apply by default in `code` mode only. */
export function sessionAccess(config: Config): { mode: 'open' | 'code'; code?: string; sessionsPerClient: number; createPerMinute: number } {
  const mode = accessMode(config);
  const unbounded = Number.MAX_SAFE_INTEGER;
  return {
    mode,
    ...(config.access.code ? { code: config.access.code } : {}),
    sessionsPerClient: config.access.sessionsPerClient ?? (mode === 'code' ? 3 : unbounded),
    createPerMinute: config.access.createPerMinute ?? (mode === 'code' ? 10 : unbounded),
  };
}

/** The app listener's port: `ports.listen`, else the workshop's port + 1 (any free port when the workshop's is 0). */
export function appListenPort(config: Config): number {
  if (config.ports.listen !== undefined) return config.ports.listen;
  return config.port === 0 || config.port === 65535 ? 0 : config.port + 1;
}
