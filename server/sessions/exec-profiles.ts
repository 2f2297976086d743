import type { Config } from '../config.js';
import type { ExecLimits } from '../nodes/node-backend.js';

/**
 * Why a command runs on a node. Each purpose has its limits, written here and nowhere else:
 * - `command`: a learner's own command (REST exec, a lesson block run directly); configurable, capped.
 * - `swarm`: forming or joining a swarm, which a machine under a class's load can make slow.
 * - `check`: the checker's state collection and probes; its JSON answers can be large.
 * - `lookup`: reading live values for a lesson's placeholders (join tokens, addresses).
 * - `status`: the workspace's per-node status line, polled every few seconds.
 */
export type ExecProfile = 'command' | 'swarm' | 'check' | 'lookup' | 'status';

const KIB = 1024;

export function execLimits(profile: ExecProfile, limits: Config['limits'], requestedSeconds?: number): ExecLimits {
  switch (profile) {
    case 'command': {
      const seconds = Math.min(requestedSeconds ?? limits.execTimeoutSeconds, limits.execTimeoutSeconds);
      return { timeoutMs: seconds * 1000, maxOutputBytes: limits.execMaxOutputBytes };
    }
    case 'swarm':
      return { timeoutMs: 120_000, maxOutputBytes: 64 * KIB };
    case 'check':
      return { timeoutMs: 15_000, maxOutputBytes: 8 * KIB * KIB };
    case 'lookup':
      return { timeoutMs: 15_000, maxOutputBytes: 64 * KIB };
    case 'status':
      return { timeoutMs: 8_000, maxOutputBytes: 64 * KIB };
  }
}
