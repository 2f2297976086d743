import type { Duplex } from 'node:stream';
import type { ExecResult } from '../engine/docker-engine.js';

export type { ExecResult };

/** A started node, as the session layer sees it. */
export interface NodeHandle {
  name: string;
  id: string;
  address: string;
}

export interface SessionNetwork {
  id: string;
  name: string;
}

export interface TerminalProcess {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** The exit code once the process has ended (null while running or unknown). */
  exitCode?(): Promise<number | null>;
}

/** What placement on several engines (server/fleet) may know of a session being started; one engine ignores it. */
export interface PlacementHint {
  nodes: number;
  /** An event's learner (spread over engines) rather than a self-paced session (packed). */
  spread: boolean;
}

export interface ExecLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

/**
 * Where nodes come from. The Docker backend runs Docker-in-Docker containers;
 * a local backend (shells on the server host) serves development and fast
 * terminal tests. Sessions only ever talk to this interface.
 */
export interface NodeBackend {
  readonly kind: 'docker' | 'local';
  /** Each node runs a Docker engine of its own (local shells share the host's, so they must never form a swarm). */
  readonly nodesHaveEngines: boolean;
  /**
   * Whether a session started ahead of demand (a warm pool's) may still be handed to a learner: false once its
   * engine is down or draining. Absent: always (one engine).
   */
  takesNewSessions?(sessionId: string): boolean;
  /**
   * Session networks can be made before their session is asked for (one engine: nothing to place), so the
   * session manager keeps a few spare (server/sessions/network-pool.ts). Unset: each is made with its session.
   */
  readonly networksAhead?: boolean;
  createNetwork(sessionId: string, hint?: PlacementHint): Promise<SessionNetwork>;
  removeNetwork(network: SessionNetwork): Promise<void>;
  /** Starts a node and resolves once it takes commands. Cleans up after itself when it fails. */
  createNode(sessionId: string, network: SessionNetwork, name: string): Promise<NodeHandle>;
  removeNode(node: NodeHandle): Promise<void>;
  isRunning(node: NodeHandle): Promise<boolean>;
  exec(node: NodeHandle, command: string, limits: ExecLimits): Promise<ExecResult>;
  /**
   * Runs the server's own short command (a check's probe or read) as `exec` would, in a shell kept open in the
   * node for them (probe-shell.ts), which spares the cost of starting an exec. Unset: use `exec`. Aborted
   * before its turn in the shell, the command is not run (the promise rejects).
   */
  execInProbeShell?(node: NodeHandle, command: string, limits: ExecLimits, signal?: AbortSignal): Promise<ExecResult>;
  /** Closes every probe shell (the server stops; nodes kept for the next start open new ones when checked). */
  closeProbeShells?(): void;
  openTerminal(node: NodeHandle, size: { cols: number; rows: number }): Promise<TerminalProcess>;
  /**
   * Whether this server has a route to the node's address (its session network is on this host). Unset: it has.
   * A node it has no route to is reached through its engine's API (`openPort`), and read by exec.
   */
  reachesDirectly?(node: NodeHandle): boolean;
  /** A byte stream to a TCP port of the node, through its engine's API (an exec'd `nc` in the node). */
  openPort?(node: NodeHandle, port: number): Promise<Duplex>;
  /**
   * Removes every node and network of this server instance whose session is not in `live`, except the nodes
   * listed in `keepNodes` (by id): nodes a session took from the generic pool still carry the pool's label.
   */
  sweep(live: ReadonlySet<string>, keepNodes?: ReadonlySet<string>): Promise<{ containers: number; networks: number }>;

  // The generic warm pool (server/sessions/generic-pool.ts); a backend without these has no generic pool.
  /** Starts a node that belongs to no session and waits on no network: nothing reaches it, it reaches nothing. */
  createWaitingNode?(): Promise<NodeHandle>;
  /**
   * Moves a waiting node into a session: onto the session's network, under its node name (its hostname too,
   * so shell prompts and `docker node ls` show it). Call before the node forms a swarm.
   */
  adoptNode?(node: NodeHandle, sessionId: string, network: SessionNetwork, name: string): Promise<NodeHandle>;
  /** Removes what waiting nodes needed (their network) once the pool has stopped. */
  closeWaitingRoom?(): Promise<void>;
}
