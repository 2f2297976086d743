import type { Duplex } from 'node:stream';
import type { ExecResult } from '../engine/docker-engine.js';
import type { ExecLimits } from './node-backend.js';
import { ProbeShell, ProbeShellGoneError } from './probe-shell.js';

/** How long opening a shell may take before the request goes to a plain exec instead. */
const OPEN_TIMEOUT_MS = 5000;
/** An unused shell closes after this, so a session nobody checks keeps no process or connection open. */
const IDLE_MS = 60_000;

/**
 * One probe shell per node (by container id), opened on first use and reopened when it has died. The backend
 * that owns the nodes owns this: it closes a node's shell when it removes the node.
 */
export class ProbeShells {
  private readonly shells = new Map<string, { shell: Promise<ProbeShell>; busy: number; idle?: NodeJS.Timeout }>();

  constructor(
    private readonly open: (nodeId: string) => Promise<Duplex>,
    private readonly idleMs = IDLE_MS,
    private readonly openTimeoutMs = OPEN_TIMEOUT_MS,
  ) {}

  /** Runs a command in the node's shell; rejects with ProbeShellGoneError when no shell could take it. */
  async run(nodeId: string, command: string, limits: ExecLimits, signal?: AbortSignal): Promise<ExecResult> {
    const shell = await this.shellOf(nodeId);
    const entry = this.shells.get(nodeId);
    if (entry) {
      entry.busy += 1;
      if (entry.idle) clearTimeout(entry.idle);
    }
    try {
      return await shell.run(command, limits, signal);
    } finally {
      if (entry) entry.busy -= 1;
      if (entry?.busy === 0) this.closeWhenIdle(nodeId, entry);
    }
  }

  close(nodeId: string): void {
    const entry = this.shells.get(nodeId);
    if (!entry) return;
    this.shells.delete(nodeId);
    if (entry.idle) clearTimeout(entry.idle);
    void entry.shell.then((shell) => shell.close(), () => undefined);
  }

  closeAll(): void {
    for (const nodeId of [...this.shells.keys()]) this.close(nodeId);
  }

  private async shellOf(nodeId: string): Promise<ProbeShell> {
    const entry = this.shells.get(nodeId);
    if (entry) {
      const shell = await entry.shell.catch(() => undefined);
      if (shell?.alive) return shell;
      if (this.shells.get(nodeId) === entry) this.shells.delete(nodeId);
    }
    const opening = this.openShell(nodeId);
    this.shells.set(nodeId, { shell: opening, busy: 0 });
    opening.catch(() => {
      if (this.shells.get(nodeId)?.shell === opening) this.shells.delete(nodeId);
    });
    return opening;
  }

  private async openShell(nodeId: string): Promise<ProbeShell> {
    let timer: NodeJS.Timeout | undefined;
    const opened = this.open(nodeId);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProbeShellGoneError(`no probe shell within ${this.openTimeoutMs} ms`)), this.openTimeoutMs);
    });
    try {
      return new ProbeShell(await Promise.race([opened, timeout]));
    } catch (error) {
      // A stream that arrives after the deadline is closed at once.
      void opened.then((stream) => stream.destroy(), () => undefined);
      throw error instanceof ProbeShellGoneError ? error : new ProbeShellGoneError(`no probe shell: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private closeWhenIdle(nodeId: string, entry: { idle?: NodeJS.Timeout }): void {
    if (this.shells.get(nodeId) !== entry) return;
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (this.shells.get(nodeId) === entry) this.close(nodeId);
    }, this.idleMs);
    entry.idle.unref();
  }
}
