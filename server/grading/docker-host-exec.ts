import { execFile } from 'node:child_process';
import { collectScript, type ApiTarget } from '../checks/collect-script.js';
import type { NodeExec } from '../checks/collect-snapshot.js';

/** `tcp://host:2375`, `unix:///var/run/docker.sock` or a plain socket path, as curl and the docker CLI need them. */
export function parseDockerHost(address: string): { api: ApiTarget; dockerHost: string } {
  if (address.startsWith('tcp://')) return { api: { baseUrl: `http://${address.slice(6)}` }, dockerHost: address };
  if (address.startsWith('http://')) return { api: { baseUrl: address }, dockerHost: `tcp://${address.slice(7)}` };
  const path = address.startsWith('unix://') ? address.slice(7) : address;
  if (!path.startsWith('/')) throw new Error(`unsupported Docker host address ${address}: use tcp://host:port or a unix socket path`);
  return { api: { unixSocket: path, baseUrl: 'http://localhost' }, dockerHost: `unix://${path}` };
}

/**
 * Runs the checker's scripts on this machine against a Docker host instead of inside a node: the state
 * collection reads that host's API with curl, and probes run with DOCKER_HOST pointing at it. The host is
 * treated as the one node of the cluster it manages.
 */
export function dockerHostExec(address: string): NodeExec {
  const { api, dockerHost } = parseDockerHost(address);
  const nodeScript = collectScript();
  return (_node, command) =>
    new Promise((resolve) => {
      const script = command === nodeScript ? collectScript(api) : command;
      // `env` adds DOCKER_HOST to the environment the command inherits, without this process reading its own.
      execFile('env', [`DOCKER_HOST=${dockerHost}`, 'bash', '-c', script], { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode: code, output: stdout + stderr });
      });
    });
}

/** The node name the host's engine reports, so checks naming a node find it. */
export async function dockerHostNodeName(address: string): Promise<string> {
  const { api } = parseDockerHost(address);
  const socket = api.unixSocket ? ['--unix-socket', api.unixSocket] : [];
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '--max-time', '5', ...socket, `${api.baseUrl}/v1.41/info`], (error, stdout) => {
      if (error) return reject(new Error(`no Docker engine answers at ${address}`));
      try {
        resolve((JSON.parse(stdout) as { Name: string }).Name);
      } catch {
        reject(new Error(`${address} did not answer like a Docker engine`));
      }
    });
  });
}
