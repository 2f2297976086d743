import { spawn as spawnChild } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import * as pty from 'node-pty';
import type { Config } from '../config.js';
import type { ExecLimits, ExecResult, NodeBackend, NodeHandle, SessionNetwork, TerminalProcess } from './node-backend.js';

/**
 * Nodes as bash shells on the server host, each in a throwaway directory. No
 * isolation at all: for development without Docker and for fast tests of the
 * terminal path. Off unless `localProvider` is configured.
 */
export class LocalNodeBackend implements NodeBackend {
  readonly kind = 'local' as const;
  readonly nodesHaveEngines = false;
  private readonly terminals = new Map<string, Set<pty.IPty>>();

  constructor(
    private readonly config: Pick<Config, 'instance'>,
    private readonly root = tmpdir(),
  ) {}

  private prefix(sessionId?: string): string {
    return ['sw', this.config.instance, sessionId].filter(Boolean).join('-') + '-';
  }

  async createNetwork(sessionId: string): Promise<SessionNetwork> {
    return { id: `local-${sessionId}`, name: `local-${sessionId}` };
  }

  async removeNetwork(): Promise<void> {}

  async createNode(sessionId: string, _network: SessionNetwork, name: string): Promise<NodeHandle> {
    const dir = await mkdtemp(join(this.root, `${this.prefix(sessionId)}${name}-`));
    this.terminals.set(dir, new Set());
    return { name, id: dir, address: '127.0.0.1' };
  }

  async removeNode(node: NodeHandle): Promise<void> {
    for (const term of this.terminals.get(node.id) ?? []) term.kill('SIGKILL');
    this.terminals.delete(node.id);
    await rm(node.id, { recursive: true, force: true });
  }

  async isRunning(node: NodeHandle): Promise<boolean> {
    return existsSync(node.id);
  }

  exec(node: NodeHandle, command: string, limits: ExecLimits): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = spawnChild('bash', ['-c', command], { cwd: node.id, env: nodeEnv(node), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const collect = (chunk: Buffer) => {
        const room = limits.maxOutputBytes - size;
        if (chunk.length > room) truncated = true;
        if (room <= 0) return;
        const kept = chunk.subarray(0, room);
        chunks.push(kept);
        size += kept.length;
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, limits.timeoutMs);
      const finish = (exitCode: number) => {
        clearTimeout(timer);
        resolve({ exitCode: timedOut ? 124 : exitCode, output: Buffer.concat(chunks).toString('utf8'), truncated, timedOut });
      };
      child.on('error', () => finish(127));
      child.on('close', (code) => finish(code ?? 137));
    });
  }

  async openTerminal(node: NodeHandle, size: { cols: number; rows: number }): Promise<TerminalProcess> {
    if (!existsSync(node.id)) throw new Error(`node ${node.name} is gone`);
    const term = pty.spawn('bash', ['--noprofile', '--norc', '-i'], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: node.id,
      env: { ...nodeEnv(node), PS1: `${node.name}:\\W\\$ ` },
      encoding: null,
    } as pty.IPtyForkOptions);
    const live = this.terminals.get(node.id);
    live?.add(term);
    let exitCode: number | null = null;
    const stream = new Duplex({
      read() {
        term.resume();
      },
      write(chunk: Buffer, _encoding, callback) {
        try {
          term.write(chunk as unknown as string);
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
      destroy(error, callback) {
        try {
          term.kill('SIGHUP');
        } catch {
          // already gone
        }
        callback(error);
      },
    });
    term.onData((data) => {
      if (!stream.push(Buffer.isBuffer(data) ? data : Buffer.from(data))) term.pause();
    });
    term.onExit(({ exitCode: code }) => {
      exitCode = code;
      live?.delete(term);
      stream.push(null);
    });
    return {
      stream,
      resize: async (cols, rows) => {
        if (exitCode === null) term.resize(cols, rows);
      },
      exitCode: async () => exitCode,
    };
  }

  /** Removes the directories of this instance's sessions that are not live. */
  async sweep(live: ReadonlySet<string>): Promise<{ containers: number; networks: number }> {
    const prefix = this.prefix();
    const stale = (await readdir(this.root)).filter((entry) => entry.startsWith(prefix) && !live.has(entry.slice(prefix.length).split('-')[0]));
    await Promise.all(stale.map((entry) => rm(join(this.root, entry), { recursive: true, force: true })));
    return { containers: stale.length, networks: 0 };
  }
}

/**
 * A shell stands in for a node, so it gets a node's plain environment, never the server's own (which may
 * hold the instructor password): the system PATH, this host's user, its own directory as HOME.
 */
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function nodeEnv(node: NodeHandle): NodeJS.ProcessEnv {
  const { username } = userInfo();
  return { PATH: SYSTEM_PATH, LANG: 'C.UTF-8', USER: username, LOGNAME: username, SHELL: '/bin/bash', HOME: node.id, TERM: 'xterm-256color', NODE_NAME: node.name };
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
