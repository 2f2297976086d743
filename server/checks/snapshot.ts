import type {
  DockerContainer,
  DockerInfo,
  DockerNetwork,
  DockerVolume,
  SwarmNode,
  SwarmObject,
  SwarmService,
  SwarmTask,
} from './docker-types.js';

/**
 * What one node printed: the raw Engine API answers, exactly as the collector script emits them.
 * Manager endpoints are present only when the node said it is a manager; each may hold an error
 * object instead of a list (a manager without quorum answers `{"message": ...}`).
 */
export interface RawNodeDocument {
  info: DockerInfo | { message?: string } | null;
  containers: DockerContainer[] | { message?: string } | null;
  volumes: { Volumes?: DockerVolume[] | null } | { message?: string } | null;
  nodes?: unknown;
  services?: unknown;
  tasks?: unknown;
  networks?: unknown;
  secrets?: unknown;
  configs?: unknown;
  /** A manager's join tokens as sha256 fingerprints (join-tokens.ts); never the tokens. */
  joinTokens?: { worker?: string; manager?: string } | null;
}

/** A node's answer, or why there is none. This is the shape recorded fixtures use. */
export type RawNodeAnswer = RawNodeDocument | { unreachable: string };

export interface ProbeResult {
  /** False when the probe could not run at all (no container, node down); `output` then says why. */
  ran: boolean;
  exitCode: number;
  output: string;
  node?: string;
}

export interface RawSnapshot {
  nodes: Record<string, RawNodeAnswer>;
  probes?: Record<string, ProbeResult>;
}

/** The swarm as one manager sees it. */
export interface ManagerView {
  node: string;
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
  networks: DockerNetwork[];
  secrets: SwarmObject[];
  configs: SwarmObject[];
  /** Fingerprints of the join tokens, when the manager reported them. */
  joinTokens?: { worker: string; manager: string };
}

export interface NodeState {
  name: string;
  /** Set when the node could not be read; every check about it fails with this reason. */
  error?: string;
  info?: DockerInfo;
  containers: DockerContainer[];
  volumes: DockerVolume[];
  manager?: ManagerView;
  /** Set when the node is a manager but its manager endpoints failed (e.g. no quorum). */
  managerError?: string;
}

export interface ClusterSnapshot {
  nodes: NodeState[];
  probes: Record<string, ProbeResult>;
}

function errorMessage(value: unknown): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'message' in value) {
    return String((value as { message: unknown }).message);
  }
  return undefined;
}

function listOf<T>(value: unknown): T[] | undefined {
  return Array.isArray(value) ? (value as T[]) : undefined;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Only well-formed fingerprints are taken: a reader that passed anything else on is ignored rather than trusted. */
function joinTokensOf(value: RawNodeDocument['joinTokens']): { joinTokens?: { worker: string; manager: string } } {
  const worker = SHA256.test(value?.worker ?? '') ? value!.worker! : '';
  const manager = SHA256.test(value?.manager ?? '') ? value!.manager! : '';
  return worker || manager ? { joinTokens: { worker, manager } } : {};
}

function managerView(name: string, doc: RawNodeDocument): { view?: ManagerView; error?: string } {
  const nodes = listOf<SwarmNode>(doc.nodes);
  const services = listOf<SwarmService>(doc.services);
  const tasks = listOf<SwarmTask>(doc.tasks);
  if (!nodes || !services || !tasks) {
    const reason = errorMessage(doc.nodes) ?? errorMessage(doc.services) ?? errorMessage(doc.tasks) ?? 'no answer';
    return { error: `the manager on \`${name}\` could not list the swarm: ${reason}` };
  }
  return {
    view: {
      node: name,
      nodes,
      services,
      tasks,
      networks: listOf<DockerNetwork>(doc.networks) ?? [],
      secrets: listOf<SwarmObject>(doc.secrets) ?? [],
      configs: listOf<SwarmObject>(doc.configs) ?? [],
      ...joinTokensOf(doc.joinTokens),
    },
  };
}

/** Turns what the nodes printed into the snapshot the evaluator reads. Pure, so fixtures go through it too. */
export function snapshotFromRaw(raw: RawSnapshot): ClusterSnapshot {
  const nodes = Object.entries(raw.nodes).map(([name, answer]): NodeState => {
    if ('unreachable' in answer) return { name, error: answer.unreachable, containers: [], volumes: [] };
    const infoError = errorMessage(answer.info);
    if (!answer.info || infoError) {
      return { name, error: `the Docker engine on \`${name}\` did not answer${infoError ? `: ${infoError}` : ''}`, containers: [], volumes: [] };
    }
    const volumes = answer.volumes && 'Volumes' in answer.volumes ? answer.volumes.Volumes ?? [] : [];
    const state: NodeState = {
      name,
      info: answer.info as DockerInfo,
      containers: listOf<DockerContainer>(answer.containers) ?? [],
      volumes,
    };
    if (answer.nodes !== undefined) {
      const { view, error } = managerView(name, answer);
      state.manager = view;
      state.managerError = error;
    }
    return state;
  });
  return { nodes, probes: raw.probes ?? {} };
}
