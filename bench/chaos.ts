/**
 * One learner's node under a fork bomb and a memory hog while another learner types: the other learner's
 * keystroke-to-echo latency through the real websocket (median, p99 over KEYS keys), quiet first and then under
 * the load, in the same run. test/integration/chaos-nodes.test.ts holds a generous bound; this holds the target.
 *
 *   npx tsx bench/chaos.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { CreatedSessionView } from '../shared/protocol.js';
import { loadConfig } from '../server/config.js';
import { LABEL } from '../server/engine/labels.js';
import { startServer } from '../server/server.js';
import { echoDelays, HOGS } from '../test/support/chaos-load.js';
import { TerminalClient } from '../test/support/terminal-client.js';
import { percentile, report } from './lib.js';

const KEYS = 250;
const INSTANCE = 'b-chaos';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const summary = (delays: number[]) => `median ${percentile(delays, 50).toFixed(2)} ms, p99 ${percentile(delays, 99).toFixed(2)} ms (n=${delays.length})`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-bench-chaos-'));
  const server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: INSTANCE, dataDir, logLevel: 'warn' } }));
  const docker = new Docker();
  try {
    const create = async (): Promise<CreatedSessionView> => {
      const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ template: 'single' }) });
      if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as CreatedSessionView;
    };
    const [hogger, typist] = await Promise.all([create(), create()]);
    const term = await TerminalClient.open(server.url, typist.id, 'node1', { token: typist.token });
    await term.waitFor('# ');
    const quiet = await echoDelays(term, KEYS);
    console.log(`echo, quiet machine:                         ${summary(quiet)}`);

    const res = await fetch(`${server.url}/api/sessions/${hogger.id}/nodes/node1/exec`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hogger.token}` },
      body: JSON.stringify({ command: `${HOGS.forkBomb}\n${HOGS.memoryHog}` }),
    });
    if (res.status !== 200) throw new Error(`hogs: HTTP ${res.status} ${await res.text()}`);
    const [found] = await docker.listContainers({ filters: { label: [`${LABEL.instance}=${INSTANCE}`, `${LABEL.session}=${hogger.id}`] } });
    const container = docker.getContainer(found.Id);
    const limit = server.config.limits.nodePids;
    let pids = 0;
    for (const deadline = Date.now() + 30_000; pids < 500 && Date.now() < deadline; await pause(200)) {
      pids = ((await container.stats({ stream: false })) as { pids_stats?: { current?: number } }).pids_stats?.current ?? 0;
    }
    const loaded = await echoDelays(term, KEYS);
    console.log(`echo, fork bomb (${pids}/${limit} pids) + memory hog: ${summary(loaded)}`);
    await term.close();
    report('chaos', [
      { name: 'echo median, another node under a fork bomb and a memory hog', value: percentile(loaded, 50), unit: 'ms', target: { atMost: 5 }, baseline: { name: 'quiet', value: percentile(quiet, 50) } },
      { name: 'echo p99, another node under a fork bomb and a memory hog', value: percentile(loaded, 99), unit: 'ms', target: { atMost: 15 }, baseline: { name: 'quiet', value: percentile(quiet, 99) } },
    ]);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
