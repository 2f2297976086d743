import { API_VERSION } from './collect-script.js';
import type { NodeReader } from './collect-snapshot.js';
import { joinTokenFingerprints } from './join-tokens.js';
import { FULL_READ, type ReadPlan } from './read-plan.js';
import type { RawNodeAnswer, RawNodeDocument } from './snapshot.js';

const TIMEOUT_MS = 3000;
/** The most one API answer may hold; a larger one counts as no answer (a node must not fill the server's memory). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** An answer's body up to `limit` bytes; undefined when it is longer (the rest is not read). */
async function boundedText(res: Response, limit: number): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > limit) {
    await res.body?.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) return undefined; // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One API call; like the collect script, `null` for a call that got nothing, the error body for a refusal. */
async function get(base: string, path: string, limit: number): Promise<unknown> {
  const res = await fetch(`${base}/${API_VERSION}/${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await boundedText(res, limit);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

type ListRead = 'nodes' | 'services' | 'tasks' | 'networks' | 'secrets' | 'configs';
/** Manager lists every run reads; the swarm view is made of them (read-plan.ts). */
const BASE_LISTS: ListRead[] = ['nodes', 'services', 'tasks'];

/**
 * Reads nodes' engines over HTTP on the session network (each node's daemon also listens on port 2375
 * there), in parallel and without starting a process per call: the documents the collect script prints,
 * less what the run's read plan leaves out (an unread list reads as empty, and nothing evaluated looks at it).
 * A node this server cannot reach that way (a remote engine, a daemon the learner stopped) goes through
 * `fallback`, the exec-based reader, which reads everything.
 */
export function httpNodeReader(addresses: ReadonlyMap<string, string>, fallback: NodeReader, port = 2375, limit = MAX_ANSWER_BYTES): NodeReader {
  return async (node, plan: ReadPlan = FULL_READ) => {
    const address = addresses.get(node);
    if (!address) return fallback(node);
    const base = `http://${address}:${port}`;
    const call = (path: string) => get(base, path, limit);
    const lists = [...BASE_LISTS, ...(['networks', 'secrets', 'configs'] as const).filter((read) => plan.has(read))];
    // Everything at once, in one round trip: whether the node is a manager is known only from `info`, and a
    // worker's refusals of the manager calls are cheap; they are dropped below.
    const [info, containers, volumes, joinTokens, ...listAnswers] = await Promise.allSettled([
      call('info'),
      plan.has('containers') ? call('containers/json') : null,
      plan.has('volumes') ? call('volumes') : null,
      // Fingerprinted as soon as it arrives: the join tokens go no further than this line.
      plan.has('joinTokens') ? call('swarm').then(joinTokenFingerprints) : null,
      ...lists.map((list) => call(list)),
    ]);
    if (info.status === 'rejected') return fallback(node);
    const value = (result: PromiseSettledResult<unknown>) => (result.status === 'fulfilled' ? result.value : null);
    const document: RawNodeDocument = {
      info: value(info) as RawNodeDocument['info'],
      containers: value(containers) as RawNodeDocument['containers'],
      volumes: value(volumes) as RawNodeDocument['volumes'],
    };
    if ((value(info) as { Swarm?: { ControlAvailable?: boolean } } | null)?.Swarm?.ControlAvailable) {
      lists.forEach((list, index) => {
        document[list] = value(listAnswers[index]);
      });
      if (plan.has('joinTokens')) document.joinTokens = value(joinTokens) as RawNodeDocument['joinTokens'];
    }
    return document satisfies RawNodeAnswer;
  };
}
