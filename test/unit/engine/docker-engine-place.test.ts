import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../server/engine/docker-engine.js';

// The server deletes leftover session bridges only on an engine of this host (server.ts): a remote engine's
// network list says nothing about this host's interfaces.
describe('DockerEngine.onThisHost', () => {
  it('is true for a socket and false for an engine over TCP', () => {
    expect(new DockerEngine(new Docker({ socketPath: '/var/run/docker.sock' })).onThisHost).toBe(true);
    expect(new DockerEngine(new Docker({ host: '192.0.2.10', port: 2376, protocol: 'https' })).onThisHost).toBe(false);
    expect(new DockerEngine(new Docker({ host: '192.0.2.10', port: 2375, protocol: 'http' })).onThisHost).toBe(false);
  });
});
