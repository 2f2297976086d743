import { describe, expect, it } from 'vitest';
import { parseNodeStatus, parsePortsColumn } from '../../../server/ports/node-status.js';

describe('parsePortsColumn', () => {
  it('reads container and service port columns, skipping unpublished ports', () => {
    expect(parsePortsColumn('0.0.0.0:8080->80/tcp, :::8080->80/tcp, 443/tcp', 'web', 'container')).toEqual([
      { port: 8080, target: 80, protocol: 'tcp', owner: 'web', source: 'container' },
      { port: 8080, target: 80, protocol: 'tcp', owner: 'web', source: 'container' },
    ]);
    expect(parsePortsColumn('*:9000-9001->90-91/udp', 'svc', 'service').map((p) => [p.port, p.target, p.protocol])).toEqual([
      [9000, 90, 'udp'],
      [9001, 91, 'udp'],
    ]);
    expect(parsePortsColumn('', 'x', 'container')).toEqual([]);
  });
});

describe('parseNodeStatus', () => {
  const output = [
    '@@swarm',
    '{"NodeID":"abc","LocalNodeState":"active","ControlAvailable":true}',
    '@@leader',
    'true',
    '@@containers',
    'web.1.xyz\t0.0.0.0:8080->80/tcp, :::8080->80/tcp',
    'db\t5432/tcp',
    '@@services',
    'web\t*:8080->80/tcp',
    'api\t*:3000->3000/tcp',
  ].join('\n');

  it('finds the leader and the published ports, once each', () => {
    const status = parseNodeStatus('node1', output);
    expect(status.swarm).toEqual({ state: 'active', role: 'leader' });
    expect(status.ports.map((p) => `${p.port}:${p.source}:${p.owner}`)).toEqual(['3000:service:api', '8080:container:web.1.xyz']);
  });

  it('tells workers, managers and nodes outside a swarm apart', () => {
    expect(parseNodeStatus('n', '@@swarm\n{"LocalNodeState":"active","ControlAvailable":false}\n@@leader\n').swarm.role).toBe('worker');
    expect(parseNodeStatus('n', '@@swarm\n{"LocalNodeState":"active","ControlAvailable":true}\n@@leader\nfalse').swarm.role).toBe('manager');
    expect(parseNodeStatus('n', '@@swarm\n{"LocalNodeState":"inactive"}\n').swarm).toEqual({ state: 'inactive', role: null });
    expect(parseNodeStatus('n', 'garbage').swarm).toEqual({ state: 'unknown', role: null });
  });
});
