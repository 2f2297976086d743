import { JOIN_TOKENS_SCRIPT } from './join-tokens.js';

/**
 * The one shell script each node runs per check run. It asks the node's own engine for its state over the
 * unix socket and prints one JSON document: the raw API answers side by side, with `null` for a call that got
 * nothing. Manager endpoints are asked only when the engine says it can control the swarm, so a worker is
 * never asked something it must refuse. POSIX sh, curl, sed and sha256sum only: no jq, no docker CLI formatting.
 * A manager also prints its join tokens' fingerprints (join-tokens.ts); the tokens never leave the node.
 */
export const API_VERSION = 'v1.41';

export const MANAGER_ENDPOINTS = ['nodes', 'services', 'tasks', 'networks', 'secrets', 'configs'];

/** Where the script's curl finds the engine API: the node's own socket, or (for grading a learner's own cluster) a Docker host address. */
export interface ApiTarget {
  unixSocket?: string;
  baseUrl: string;
}

export const NODE_API: ApiTarget = { unixSocket: '/var/run/docker.sock', baseUrl: 'http://localhost' };

export function collectScript(target: ApiTarget = NODE_API): string {
  const socket = target.unixSocket ? `--unix-socket '${target.unixSocket.replace(/'/g, '')}' ` : '';
  return [
    `api() { out=$(curl -s --max-time 5 ${socket}"${target.baseUrl.replace(/["$`\\]/g, '')}/${API_VERSION}/$1" 2>/dev/null); if [ -n "$out" ]; then printf '%s' "$out"; else printf null; fi; }`,
    'info=$(api info)',
    `printf '{"info":%s,"containers":%s,"volumes":%s' "$info" "$(api containers/json)" "$(api volumes)"`,
    `case "$info" in *'"ControlAvailable":true'*)`,
    `  for e in ${MANAGER_ENDPOINTS.join(' ')}; do printf ',"%s":%s' "$e" "$(api "$e")"; done`,
    JOIN_TOKENS_SCRIPT,
    ';;',
    'esac',
    `printf '}\\n'`,
  ].join('\n');
}

/** Probes for one node in one exec; each result is a line `@@probe <index> <exit code> <base64 output>`. */
export function probeScript(commands: string[]): string {
  const lines = commands.map((command, index) =>
    `out=$( ${command} 2>&1 ); code=$?; printf '@@probe ${index} %s ' "$code"; printf '%s' "$out" | head -c 16384 | base64 | tr -d '\\n'; printf '\\n'`);
  return lines.join('\n');
}

export interface ProbeLine {
  index: number;
  exitCode: number;
  output: string;
}

export function parseProbeOutput(output: string): ProbeLine[] {
  const results: ProbeLine[] = [];
  for (const match of output.matchAll(/^@@probe (\d+) (\d+) ?(\S*)$/gm)) {
    results.push({ index: Number(match[1]), exitCode: Number(match[2]), output: Buffer.from(match[3], 'base64').toString('utf8') });
  }
  return results;
}
