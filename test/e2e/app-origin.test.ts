import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSessionView } from '../../shared/protocol.js';
import type { RunningServer } from '../../server/server.js';
import { startTestServer } from '../support/test-server.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PASSWORD = 'correct-horse-battery';

// The attack of issue 9: a learner sends the instructor a link to their app. In the instructor's own browser (logged
// in), the app — served through the port proxy — echoes the Cookie header it receives and tries to set the
// instructor's cookie and to open a terminal websocket on the workshop. It must see and do none of that.
// The local provider makes this host the node, so the "learner's app" is a server this test starts.
describe('learners\' apps cannot see the instructor\'s login (Chromium)', () => {
  let server: RunningServer;
  let app: Server;
  let appPort: number;
  let browser: Browser;
  let instructor: BrowserContext;
  let page: Page;
  let session: CreatedSessionView;
  const received: string[] = [];

  beforeAll(async () => {
    app = createServer((req, res) => {
      received.push(req.headers.cookie ?? '');
      res.setHeader('set-cookie', ['workshop_instructor=forged; Path=/', 'app_own=1; Path=/']);
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>app</title><pre id="cookie">cookie:${(req.headers.cookie ?? '').replace(/[<&]/g, '')}</pre><pre id="auth">auth:${req.headers.authorization ?? ''}</pre>`);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as AddressInfo).port;
    server = await startTestServer('t-e2e-app-origin', { localProvider: true, instructorPassword: PASSWORD });
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"template":"single"}' });
    session = (await res.json()) as CreatedSessionView;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    instructor = await browser.newContext();
    page = await instructor.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    app?.closeAllConnections();
    await new Promise((resolve) => app?.close(resolve));
  });

  it('the instructor is logged in, with a cookie the browser would send to any port of this host', async () => {
    await page.goto(`${server.url}/instructor.html`);
    const login = await page.evaluate(async (password) => (await fetch('/api/instructor/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) })).status, PASSWORD);
    expect(login).toBe(200);
    const cookies = await instructor.cookies(server.url);
    expect(cookies.map((c) => c.name)).toContain('workshop_instructor');
    // Cookies ignore ports: the browser offers the instructor's cookie to the app listener's port too.
    expect((await instructor.cookies(server.appsUrl)).map((c) => c.name)).toContain('workshop_instructor');
  });

  it('opening the learner\'s link shows the app on another origin, which never receives the instructor\'s cookie', async () => {
    const instructorToken = (await instructor.cookies(server.url)).find((c) => c.name === 'workshop_instructor')!.value;
    await page.goto(`${server.url}/api/sessions/${session.id}/nodes/node1/ports/${appPort}/?token=${session.token}`);
    expect(new URL(page.url()).origin).toBe(server.appsUrl);
    expect(new URL(page.url()).origin).not.toBe(new URL(server.url).origin);
    const shown = await page.textContent('#cookie');
    expect(shown).toBe('cookie:');
    expect(await page.textContent('#auth')).toBe('auth:');
    await page.reload();
    expect(await page.textContent('#cookie')).toBe('cookie:');
    expect(received.length).toBeGreaterThanOrEqual(2);
    for (const cookie of received) {
      expect(cookie).not.toContain('workshop_instructor');
      expect(cookie).not.toContain(instructorToken);
      expect(cookie).not.toContain(session.token);
    }
  });

  it('the app could not replace the instructor\'s cookie, and its pages cannot open the workshop\'s websockets', async () => {
    const instructorCookie = (await instructor.cookies(server.url)).find((c) => c.name === 'workshop_instructor')!;
    expect(instructorCookie.value).not.toBe('forged');
    const terminal = `${server.url.replace(/^http/, 'ws')}/api/sessions/${session.id}/nodes/node1/terminal?token=${session.token}`;
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
          setTimeout(() => resolve('timeout'), 10_000);
        }),
      terminal,
    );
    expect(outcome).toBe('refused');
    const workshop = await instructor.newPage();
    await workshop.goto(`${server.url}/instructor.html`);
    const me = await workshop.evaluate(async () => (await fetch('/api/instructor/me')).json());
    expect(me).toMatchObject({ loggedIn: true });
  });
});
