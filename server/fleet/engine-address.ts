import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { EngineConfig } from '../config.js';

/**
 * How dockerode reaches a configured engine. `local` leaves the choice to dockerode (DOCKER_HOST or the
 * socket), so one engine with no configuration behaves as the server always did. Certificates are read here,
 * once, so a missing file stops the start with its path rather than failing the first session.
 */
export function dockerOptions(engine: Pick<EngineConfig, 'name' | 'address' | 'tls'>, readFile: (path: string) => Buffer = readFileSync): Docker.DockerOptions | undefined {
  if (engine.address === 'local') return undefined;
  const url = new URL(engine.address);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  if (url.protocol === 'ssh:') {
    return {
      protocol: 'ssh',
      host: url.hostname,
      port: url.port ? Number(url.port) : 22,
      username: decodeURIComponent(url.username) || undefined,
      sshOptions: { agent: process.env.SSH_AUTH_SOCK },
    } as Docker.DockerOptions;
  }
  const port = url.port ? Number(url.port) : engine.tls ? 2376 : 2375;
  if (!engine.tls) return { protocol: 'http', host: url.hostname, port };
  const read = (what: string, path: string) => {
    try {
      return readFile(path);
    } catch (error) {
      throw new Error(`engine ${engine.name}: cannot read its TLS ${what} ${path} (${(error as Error).message})`);
    }
  };
  return { protocol: 'https', host: url.hostname, port, ca: read('CA', engine.tls.ca), cert: read('certificate', engine.tls.cert), key: read('key', engine.tls.key) };
}
