import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import type { StatedOffer } from '../../../server/fleet/engine-offers.js';
import { createApp } from '../../../server/http/app.js';
import { capacityRouter } from '../../../server/http/fleet-routes.js';
import { lessonIndex, loadLessons } from '../../../server/lessons/load-lessons.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

/** What the engines offer in each test; the route reads it on every request, as it reads the fleet's measures. */
let offers: StatedOffer[] = [];
let server: Server;
let base: string;
const GOOD = 'instructor-token';

beforeAll(async () => {
  const log = createLogger('silent');
  const config = loadConfig({ overrides: { limits: { maxSessions: 40, maxNodesTotal: 150 } } });
  const lessons = lessonIndex(await loadLessons(fileURLToPath(new URL('../../../lessons/', import.meta.url))));
  const auth = { verify: (token: string | undefined) => token === GOOD };
  const router = capacityRouter(async () => offers, auth, lessons, config.limits);
  server = createServer(createApp({ sessions: new SessionManager(new FakeNodeBackend(), config, log), log, apiRouters: [['/instructor/capacity', router]] }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/instructor/capacity`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function ask(query: string, token = GOOD) {
  const res = await fetch(`${base}?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe('GET /api/instructor/capacity', () => {
  it('plans a single local engine: a 4 GiB, 2-core host holds 25 one-node learners', async () => {
    offers = [{ name: 'local', state: 'up', memoryMb: 4096, cpus: 2, limits: {} }];
    // (4096 - 1024) MiB × 0.8 / 95 MiB per node = 25.
    const { status, body } = await ask('lesson=swarm-init&learners=30');
    expect(status).toBe(200);
    expect(body).toMatchObject({ lesson: 'swarm-init', learners: 30, fit: 25, fits: false, nodesPerLearner: 1, engines: [{ name: 'local', state: 'up', learners: 25, boundBy: 'memory' }] });
    expect((await ask('lesson=swarm-init&learners=25')).body.fits).toBe(true);
  });

  it('counts only engines that take sessions, and lists the others with none', async () => {
    offers = [
      { name: 'a', state: 'up', memoryMb: 65536, cpus: 8, limits: { nodes: 30 } },
      { name: 'b', state: 'draining', memoryMb: 65536, cpus: 8, limits: { nodes: 30 } },
      { name: 'c', state: 'down', memoryMb: 0, cpus: 0, limits: {} },
    ];
    const { body } = await ask('lesson=services&learners=12');
    expect(body).toMatchObject({ fit: 10, fits: false, nodesPerLearner: 3 });
    expect(body.engines).toEqual([
      { name: 'a', state: 'up', learners: 10, boundBy: 'nodes' },
      { name: 'b', state: 'draining', learners: 0 },
      { name: 'c', state: 'down', learners: 0 },
    ]);
  });

  it('holds the fit to the server\'s own limits when the engines could take more', async () => {
    offers = [{ name: 'big', state: 'up', memoryMb: 512 * 1024, cpus: 64, limits: {} }];
    // 150 nodes in all at 3 a learner: 50, but 40 sessions at most.
    expect((await ask('lesson=services&learners=45')).body).toMatchObject({ fit: 40, serverLimit: 40, fits: false });
  });

  it('is the instructor\'s only, and refuses an unknown lesson or a bad count', async () => {
    expect((await ask('lesson=swarm-init&learners=3', 'nope')).status).toBe(401);
    expect((await ask('lesson=no-such-lesson&learners=3')).status).toBe(404);
    expect((await ask('lesson=swarm-init&learners=0')).status).toBe(400);
  });
});
