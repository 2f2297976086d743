import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AppLinks } from '../../../server/http/app-links.js';
import { originAllowed } from '../../../server/http/websocket-origin.js';

const app = { sessionId: 'abc123', node: 'node1', port: 8080 };
const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

function links(options: Partial<ConstructorParameters<typeof AppLinks>[0]> = {}) {
  let now = 1_000_000;
  const made = new AppLinks({ scheme: 'http:', listenPort: () => 9001, linkSeconds: 60, cookieMinutes: 60, secret: Buffer.alloc(32, 7), now: () => now, ...options });
  return { links: made, advance: (ms: number) => (now += ms), at: () => now };
}

describe('app capabilities', () => {
  it('opens exactly one app, for one use, until it expires', () => {
    const { links: l, advance, at } = links();
    const link = l.mint('link', app, at() + 3_600_000).value;
    expect(l.verify('link', app, link)).toBe(true);
    expect(l.verify('cookie', app, link)).toBe(false);
    expect(l.verify('link', { ...app, port: 8081 }, link)).toBe(false);
    expect(l.verify('link', { ...app, node: 'node2' }, link)).toBe(false);
    expect(l.verify('link', { ...app, sessionId: 'other' }, link)).toBe(false);
    expect(l.verify('link', app, link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
    expect(l.verify('link', app, undefined)).toBe(false);
    expect(l.verify('link', app, 'garbage')).toBe(false);
    advance(61_000);
    expect(l.verify('link', app, link)).toBe(false);
  });

  it('never outlives the session', () => {
    const { links: l, at, advance } = links();
    const cookie = l.mint('cookie', app, at() + 10_000);
    expect(cookie.expiresAt).toBeLessThanOrEqual(at() + 10_000);
    advance(10_001);
    expect(l.verify('cookie', app, cookie.value)).toBe(false);
  });

  it('a capability signed by another server (another key) opens nothing', () => {
    const { links: a, at } = links();
    const { links: b } = links({ secret: Buffer.alloc(32, 9) });
    expect(b.verify('link', app, a.mint('link', app, at() + 60_000).value)).toBe(false);
  });
});

describe('app addresses', () => {
  it('path form: under /s/ on the app listener, as the browser reached the workshop', () => {
    const { links: l } = links();
    expect(l.baseUrl(app, '192.168.1.5:8080').toString()).toBe('http://192.168.1.5:9001/s/abc123/node1/8080/');
    expect(l.appOf(request('/s/abc123/node1/8080/x/y?q=1'))).toEqual({ app, path: '/x/y', bare: false });
    expect(l.appOf(request('/s/abc123/node1/8080'))).toEqual({ app, path: '/', bare: true });
    expect(l.appOf(request('/s/abc123/NODE/8080/'))).toBeUndefined();
    expect(l.appOf(request('/s/abc123/node1/70000/'))).toBeUndefined();
    expect(l.appOf(request('/api/health'))).toBeUndefined();
    expect(l.appOfHost('abc123-node1-8080.apps.example')).toBeUndefined();
  });

  it('domain form: one origin per app, the workshop\'s own host is none', () => {
    const { links: l } = links({ domain: 'apps.example', publicUrl: 'https://apps.example' });
    expect(l.baseUrl(app, 'workshop.example').toString()).toBe('https://abc123-node1-8080.apps.example/');
    expect(l.appOfHost('abc123-node1-8080.apps.example:443')).toEqual(app);
    expect(l.appOfHost('abc123-my-node-2-80.apps.example')).toEqual({ sessionId: 'abc123', node: 'my-node-2', port: 80 });
    expect(l.appOfHost('workshop.example')).toBeUndefined();
    expect(l.appOfHost('apps.example')).toBeUndefined();
    expect(l.appOfHost('abc123-node1-8080.apps.example.evil')).toBeUndefined();
    expect(l.appOf(request('/x', { host: 'abc123-node1-8080.apps.example' }))).toEqual({ app, path: '/x', bare: false });
  });
});

describe('websocket Origin allow-list', () => {
  it('takes the socket\'s own origin, a configured public one, and clients that are not browsers', () => {
    expect(originAllowed(request('/', { host: 'localhost:8080', origin: 'http://localhost:8080' }))).toBe(true);
    expect(originAllowed(request('/', { host: 'localhost:8080' }))).toBe(true);
    expect(originAllowed(request('/', { host: 'localhost:8080', origin: 'http://localhost:8081' }))).toBe(false);
    expect(originAllowed(request('/', { host: 'localhost:8080', origin: 'https://evil.example' }))).toBe(false);
    expect(originAllowed(request('/', { host: 'localhost:8080', origin: 'null' }))).toBe(false);
    expect(originAllowed(request('/', { host: '10.0.0.5:8080', origin: 'https://workshop.example' }), ['https://workshop.example/'])).toBe(true);
  });
});
