import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpNodeReader } from '../../../server/checks/http-node-reader.js';

// A stand-in for a node's engine API, on a free port.
let server: Server;
let port: number;
let manager = true;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    res.setHeader('content-type', 'application/json');
    if (path.endsWith('/info')) return res.end(JSON.stringify({ Name: 'node1', Swarm: { LocalNodeState: 'active', ControlAvailable: manager } }));
    if (path.endsWith('/containers/json')) return res.end('[]');
    if (path.endsWith('/volumes')) return res.end('{"Volumes":[]}');
    if (!manager) {
      res.statusCode = 503;
      return res.end('{"message":"This node is not a swarm manager."}');
    }
    res.end('[]');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpNodeReader', () => {
  it('reads a manager\'s swarm endpoints and leaves them out for a worker', async () => {
    const reader = httpNodeReader(new Map([['node1', '127.0.0.1']]), async () => ({ unreachable: 'fallback' }), port);
    const asManager = await reader('node1');
    expect(asManager).toMatchObject({ info: { Name: 'node1' }, containers: [], nodes: [], services: [], tasks: [] });
    manager = false;
    const asWorker = await reader('node1');
    expect(asWorker).toMatchObject({ info: { Name: 'node1' }, containers: [] });
    expect(asWorker).not.toHaveProperty('nodes');
    manager = true;
  });

  it('keeps its connections to an engine open for the next read', async () => {
    const reader = httpNodeReader(new Map([['node1', '127.0.0.1']]), async () => ({ unreachable: 'fallback' }), port);
    await reader('node1');
    const opened = connections;
    await reader('node1');
    await httpNodeReader(new Map([['node1', '127.0.0.1']]), async () => ({ unreachable: 'fallback' }), port)('node1');
    expect(connections).toBe(opened);
  });

  it('falls back to the exec reader when the node does not answer over HTTP, or has no address', async () => {
    const reader = httpNodeReader(new Map([['node1', '127.0.0.1']]), async (node) => ({ unreachable: `fallback for ${node}` }), 1);
    expect(await reader('node1')).toEqual({ unreachable: 'fallback for node1' });
    expect(await reader('node9')).toEqual({ unreachable: 'fallback for node9' });
  });
});
