import { Agent, get as httpGet } from 'node:http';
import { API_VERSION } from './collect-script.js';
import type { NodeReader } from './collect-snapshot.js';
import { joinTokenFingerprints } from './join-tokens.js';
import { FULL_READ, type ReadPlan } from './read-plan.js';
import type { RawNodeAnswer, RawNodeDocument } from './snapshot.js';

const TIMEOUT_MS = 3000;
/** The most one API answer may hold; a larger one counts as no answer (a node must not fill the server's memory). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** How long a connection to a node's engine stays open unused; the check schedule reads again well within it. */
const IDLE_MS = 15_000;

/**
 * Connections to the nodes' engines, kept open between calls and runs: a run asks each engine several things
 * at once, and node:http costs the server a third of the CPU fetch does for these small answers. An idle
 * connection closes after IDLE_MS, so a session's ended nodes leave nothing open.
 */
const engines = new Agent({ keepAlive: true, maxSockets: 16, timeout: IDLE_MS });

/**
 * One API call: the parsed answer, `null` for an empty, unparsable or too long one (as the collect script has
 * `null` for a call that got nothing), the error body for a refusal. Rejects when the engine cannot be reached
 * or does not finish in time.
 */
function get(host: string, port: number, path: string, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => request.destroy(new Error(`no answer from ${host}:${port} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      outcome();
    };
    const request = httpGet({ host, port, path: `/${API_VERSION}/${path}`, agent: engines }, (res) => {
      if (Number(res.headers['content-length'] ?? 0) > limit) {
        res.destroy();
        return settle(() => resolve(null));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) return void chunks.push(chunk);
        res.destroy(); // the rest is not read
        settle(() => resolve(null));
      });
      res.on('end', () => settle(() => {
        try {
          resolve(size > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null);
        } catch {
          resolve(null);
        }
      }));
      res.on('error', (error) => settle(() => reject(error)));
      res.on('close', () => settle(() => reject(new Error(`the answer from ${host}:${port} was cut off`))));
    });
    request.on('error', (error) => settle(() => reject(error)));
  });
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
    const call = (path: string) => get(address, port, path, limit);
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
