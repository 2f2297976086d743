import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { isIP } from 'node:net';
import { API_VERSION } from '../checks/collect-script.js';
import type { NodeExec } from '../checks/collect-snapshot.js';

/** Where one engine's API answers: a TCP address or a unix socket. `dockerHost` is the same for the docker CLI. */
export interface EngineAddress {
  host?: string;
  port?: number;
  socketPath?: string;
  dockerHost: string;
}

/** `tcp://host:2375`, `http://host:2375`, `unix:///var/run/docker.sock` or a plain socket path. */
export function parseEngineAddress(address: string): EngineAddress {
  const tcp = /^(?:tcp|http):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(address);
  if (tcp) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new Error(`${address}: the port must be between 1 and 65535`);
    return { host: tcp[1].replace(/^\[|\]$/g, ''), port, dockerHost: `tcp://${tcp[1]}:${port}` };
  }
  const path = address.startsWith('unix://') ? address.slice('unix://'.length) : address;
  if (path.startsWith('/')) return { socketPath: path, dockerHost: `unix://${path}` };
  throw new Error(`unsupported Docker host address ${address}: use tcp://host:port or a unix socket path`);
}

/** The engine a swarm node reports (`Status.Addr`) on the usual unencrypted port, if the address is a plain IP. */
export function engineAtNodeAddress(addr: string | undefined, port = 2375): EngineAddress | undefined {
  if (!addr || !isIP(addr) || addr === '0.0.0.0' || addr === '::') return undefined;
  const host = isIP(addr) === 6 ? `[${addr}]` : addr;
  return { host: addr, port, dockerHost: `tcp://${host}:${port}` };
}

const TIMEOUT_MS = 5000;

/**
 * One GET of the Engine API from Node itself (no curl, no shell): JSON, or `null` when the body is empty or not
 * JSON. An engine's refusal (`{"message": ...}`) comes back as that object, as the collect script passes it on.
 * Rejects only when the engine cannot be reached.
 */
export function engineGet(engine: EngineAddress, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const target = engine.socketPath ? { socketPath: engine.socketPath } : { host: engine.host, port: engine.port };
    const req = request({ ...target, path: `/${API_VERSION}/${path}`, method: 'GET', timeout: TIMEOUT_MS, headers: { host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 64 * 1024 * 1024) req.destroy(new Error('the answer is larger than 64 MiB'));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve(text ? JSON.parse(text) : null);
        } catch {
          resolve(null);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Runs the checker's probe scripts on this machine, with DOCKER_HOST pointing at the engine of the node the
 * probe belongs to. The scripts are built from lesson text and from container ids that the cluster reader
 * has already checked to be plain hex (see docker-host-cluster.ts), never from other engine data; they run
 * through execFile with an argument array and a timeout.
 */
export function dockerHostExec(engines: ReadonlyMap<string, EngineAddress>): NodeExec {
  return (node, script) =>
    new Promise((resolve) => {
      const engine = engines.get(node);
      if (!engine) return resolve({ exitCode: 1, output: `no engine address is known for node ${node}` });
      // `env` adds DOCKER_HOST to the environment the command inherits, without this process reading its own.
      execFile('env', [`DOCKER_HOST=${engine.dockerHost}`, 'sh', '-c', script], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, output: stdout + stderr });
      });
    });
}
