import { describe, expect, it } from 'vitest';
import { routeClass } from '../../../server/metrics/route-class.js';

describe('routeClass', () => {
  it('reduces paths to a small set of classes without ids', () => {
    expect(routeClass('/api/sessions')).toBe('sessions');
    expect(routeClass('/api/sessions/abc123')).toBe('sessions');
    expect(routeClass('/api/sessions/abc123/checks')).toBe('sessions/checks');
    expect(routeClass('/api/sessions/abc123/nodes/node1/exec')).toBe('sessions/nodes');
    expect(routeClass('/api/sessions/abc123/nodes/node1/terminal?token=x')).toBe('terminal');
    expect(routeClass('/api/instructor/learners/l1/nodes/node1/terminal')).toBe('terminal');
    expect(routeClass('/api/sessions/abc123/nodes/node1/ports/8080/index.html')).toBe('port-proxy');
    expect(routeClass('/api/lessons/services')).toBe('lessons');
    expect(routeClass('/api/instructor/events/e1/results')).toBe('instructor');
    expect(routeClass('/api/health')).toBe('health');
    expect(routeClass('/metrics')).toBe('metrics');
    expect(routeClass('/index.html')).toBe('static');
  });

  it('never turns an unknown path into a label of its own', () => {
    expect(routeClass('/api/whatever-a-scanner-tries')).toBe('api-other');
    expect(routeClass('/api/sessions/abc/unknown-part')).toBe('sessions');
    expect(routeClass('/api')).toBe('api-other');
    expect(routeClass('/wp-login.php')).toBe('static');
  });
});
