import { API_VERSION, MANAGER_ENDPOINTS } from './collect-script.js';
import type { NodeReader } from './collect-snapshot.js';
import { joinTokenFingerprints } from './join-tokens.js';
import type { RawNodeAnswer, RawNodeDocument } from './snapshot.js';

const TIMEOUT_MS = 3000;

/** One API call; like the collect script, `null` for a call that got nothing, the error body for a refusal. */
async function get(base: string, path: string): Promise<unknown> {
  const res = await fetch(`${base}/${API_VERSION}/${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * Reads nodes' engines over HTTP on the session network (each node's daemon also listens on port 2375
 * there), in parallel and without starting a process per call: the same documents the collect script
 * prints, an order of magnitude faster than an exec per node. A node this server cannot reach that way
 * (a remote engine, a daemon the learner stopped) goes through `fallback`, the exec-based reader.
 */
export function httpNodeReader(addresses: ReadonlyMap<string, string>, fallback: NodeReader, port = 2375): NodeReader {
  return async (node) => {
    const address = addresses.get(node);
    if (!address) return fallback(node);
    const base = `http://${address}:${port}`;
    // Everything at once, in one round trip; a worker's refusals of the manager calls are dropped below.
    const [info, containers, volumes, ...managerAnswers] = await Promise.allSettled([
      get(base, 'info'),
      get(base, 'containers/json'),
      get(base, 'volumes'),
      ...MANAGER_ENDPOINTS.map((endpoint) => get(base, endpoint)),
      // Fingerprinted as soon as it arrives: the join tokens go no further than this line.
      get(base, 'swarm').then(joinTokenFingerprints),
    ]);
    if (info.status === 'rejected') return fallback(node);
    const value = (result: PromiseSettledResult<unknown>) => (result.status === 'fulfilled' ? result.value : null);
    const document: RawNodeDocument = {
      info: value(info) as RawNodeDocument['info'],
      containers: value(containers) as RawNodeDocument['containers'],
      volumes: value(volumes) as RawNodeDocument['volumes'],
    };
    if ((value(info) as { Swarm?: { ControlAvailable?: boolean } } | null)?.Swarm?.ControlAvailable) {
      MANAGER_ENDPOINTS.forEach((endpoint, index) => {
        (document as unknown as Record<string, unknown>)[endpoint] = value(managerAnswers[index]);
      });
      document.joinTokens = value(managerAnswers[MANAGER_ENDPOINTS.length]) as RawNodeDocument['joinTokens'];
    }
    return document satisfies RawNodeAnswer;
  };
}
