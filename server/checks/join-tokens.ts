import { createHash } from 'node:crypto';

/** Fingerprints of the swarm's join tokens: what history checks compare. The tokens themselves are never kept. */
export interface JoinTokenFingerprints {
  worker: string;
  manager: string;
}

/** A swarm join token: `SWMTKN-1-<cluster key>-<secret>`. Anything else is not fingerprinted. */
const JOIN_TOKEN = /^SWMTKN-[A-Za-z0-9-]+$/;

export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The fingerprints of a manager's `GET /swarm` answer, or null when it has no join tokens. Readers call this on
 * the answer as soon as it arrives, so the tokens never reach a snapshot, the store, a log or an API answer.
 */
export function joinTokenFingerprints(swarm: unknown): JoinTokenFingerprints | null {
  const tokens = (swarm as { JoinTokens?: { Worker?: unknown; Manager?: unknown } } | null)?.JoinTokens;
  const worker = typeof tokens?.Worker === 'string' && JOIN_TOKEN.test(tokens.Worker) ? fingerprint(tokens.Worker) : '';
  const manager = typeof tokens?.Manager === 'string' && JOIN_TOKEN.test(tokens.Manager) ? fingerprint(tokens.Manager) : '';
  return worker || manager ? { worker, manager } : null;
}

/**
 * The same in POSIX sh for the collect script: reads `/swarm` through the script's `api` function and prints
 * `,"joinTokens":{"worker":"<sha256>","manager":"<sha256>"}`; only the hex digests leave the node.
 */
export const JOIN_TOKENS_SCRIPT = [
  'sw=$(api swarm)',
  `jt() { t=$(printf '%s' "$sw" | sed -n "s/.*\\"$1\\":\\"\\(SWMTKN-[A-Za-z0-9-]*\\)\\".*/\\1/p"); if [ -n "$t" ]; then printf '%s' "$t" | sha256sum | cut -c1-64; fi; }`,
  `printf ',"joinTokens":{"worker":"%s","manager":"%s"}' "$(jt Worker)" "$(jt Manager)"`,
].join('\n');
