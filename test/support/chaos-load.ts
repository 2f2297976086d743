import type { TerminalClient } from './terminal-client.js';

/**
 * What one learner can do to their own node to hurt everyone else, for the chaos test and bench/chaos.ts. Each
 * command returns at once (its load runs detached, output to /dev/null) and lasts until the node is removed.
 */
export const HOGS = {
  /** The classic bash fork bomb: forks until the node's pids limit, then keeps retrying (CPU and the kernel's fork path). */
  forkBomb: "nohup setsid bash -c 'bomb() { bomb | bomb & }; bomb' >/dev/null 2>&1 &",
  /** Reads an endless line into memory until the node's memory limit kills it, again and again. */
  memoryHog: "nohup setsid bash -c 'while :; do tail /dev/zero; done' >/dev/null 2>&1 &",
} as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keystroke-to-echo delays through the real websocket: types one key at a time into `cat >/dev/null` (the TTY
 * echoes it) and times each echo, as bench/terminal-latency.ts does.
 */
export async function echoDelays(term: TerminalClient, keys: number): Promise<number[]> {
  term.type('cat >/dev/null\r');
  await pause(300);
  const delays: number[] = [];
  for (let i = 0; i < keys; i++) {
    const before = term.received;
    const started = performance.now();
    term.type('k');
    await term.waitFor(() => term.received > before, 5000);
    delays.push(performance.now() - started);
    await pause(2); // a fast typist, not a paste
  }
  term.type('\x03');
  await pause(200);
  return delays;
}
