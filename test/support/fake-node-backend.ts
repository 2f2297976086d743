import { PassThrough } from 'node:stream';
import type { ExecLimits, ExecResult, NodeBackend, NodeHandle, SessionNetwork, TerminalProcess } from '../../server/nodes/node-backend.js';

/**
 * An in-memory NodeBackend for unit tests of the session layer's own rules
 * (limits, expiry, clean-up, HTTP validation). The real backends have their
 * own integration tests; this one only records what was asked of it.
 */
export class FakeNodeBackend implements NodeBackend {
  readonly kind = 'local' as const;
  // Simulated nodes: the swarm commands they answer touch no engine.
  readonly nodesHaveEngines = true;
  readonly networks = new Map<string, SessionNetwork>();
  readonly nodes = new Map<string, NodeHandle & { sessionId: string }>();
  /** Sessions whose engine stopped taking new ones (down or draining, as a fleet would say). */
  readonly closedSessions = new Set<string>();

  takesNewSessions(sessionId: string): boolean {
    return !this.closedSessions.has(sessionId);
  }
  readonly commands: Array<{ node: string; command: string }> = [];
  /** The limits each command ran under, in the same order. */
  readonly limits: ExecLimits[] = [];
  failNodeNamed: string | undefined;
  /** How long a node takes to start, and the most that were starting at once. */
  startDelayMs = 0;
  startingNow = 0;
  mostStartingAtOnce = 0;
  private counter = 0;

  async createNetwork(sessionId: string): Promise<SessionNetwork> {
    const network = { id: `net-${sessionId}`, name: `net-${sessionId}` };
    this.networks.set(network.id, network);
    return network;
  }

  async removeNetwork(network: SessionNetwork): Promise<void> {
    this.networks.delete(network.id);
  }

  async createNode(sessionId: string, _network: SessionNetwork, name: string): Promise<NodeHandle> {
    this.startingNow += 1;
    this.mostStartingAtOnce = Math.max(this.mostStartingAtOnce, this.startingNow);
    await new Promise((resolve) => setTimeout(resolve, this.startDelayMs));
    this.startingNow -= 1;
    if (name === this.failNodeNamed) throw new Error(`node ${name} failed to start`);
    const handle = { name, id: `c${++this.counter}`, address: `10.0.0.${this.counter}`, sessionId };
    this.nodes.set(handle.id, handle);
    return handle;
  }

  async removeNode(node: NodeHandle): Promise<void> {
    this.nodes.delete(node.id);
  }

  async isRunning(node: NodeHandle): Promise<boolean> {
    return this.nodes.has(node.id);
  }

  async exec(node: NodeHandle, command: string, limits: ExecLimits): Promise<ExecResult> {
    this.commands.push({ node: node.name, command });
    this.limits.push(limits);
    const output = command.includes('docker swarm join-token') ? 'SWMTKN-1-worker\nSWMTKN-1-manager\n' : `ran ${command}\n`;
    return { exitCode: 0, output, truncated: false, timedOut: false };
  }

  async openTerminal(): Promise<TerminalProcess> {
    return { stream: new PassThrough(), resize: async () => {} };
  }

  async sweep(live: ReadonlySet<string>, keepNodes: ReadonlySet<string> = new Set()): Promise<{ containers: number; networks: number }> {
    let containers = 0;
    for (const [id, node] of this.nodes) if (!live.has(node.sessionId) && !keepNodes.has(id)) (this.nodes.delete(id), containers++);
    return { containers, networks: 0 };
  }

  /** Waiting nodes of the generic pool sit in no session; adopting one records where it went. */
  readonly adoptions: Array<{ id: string; sessionId: string; name: string }> = [];
  failAdoption = false;

  async createWaitingNode(): Promise<NodeHandle> {
    return this.createNode('waiting-room', { id: 'waiting', name: 'waiting' }, `waiting-${this.counter + 1}`);
  }

  async adoptNode(node: NodeHandle, sessionId: string, _network: SessionNetwork, name: string): Promise<NodeHandle> {
    const waiting = this.nodes.get(node.id);
    if (!waiting || waiting.sessionId !== 'waiting-room') throw new Error(`${node.id} is not a waiting node`);
    if (this.failAdoption) throw new Error(`could not adopt ${node.id}`);
    this.adoptions.push({ id: node.id, sessionId, name });
    const adopted = { ...waiting, name };
    this.nodes.set(node.id, adopted);
    return { name, id: node.id, address: waiting.address };
  }
}
