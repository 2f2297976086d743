import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage } from '../support/browser.js';
import { apiClient, startTestServer } from '../support/test-server.js';
import { PASSWORD, TEST_LESSONS, answerDialogs, instructorLogin } from './class-helpers.js';

/**
 * The instructor's view of the fleet, on a fleet of one: this machine's engine configured as engine "here" with
 * room for 4 nodes. The event form warns before a class that does not fit is created (and creates it only when
 * told to), and the dashboard's engines panel follows a session placed there and a drain, in place.
 */
describe('fleet on the instructor\'s page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let teacher: Page;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-fleet', {
      instructorPassword: PASSWORD,
      lessonsDirs: [TEST_LESSONS],
      builtInLessons: false,
      classroom: { checkIntervalSeconds: 0 },
      engines: [{ name: 'here', address: 'local', limits: { nodes: 4 } }],
    });
    browser = await launchChromium();
    teacher = await newPage(browser);
    answerDialogs(teacher);
    await instructorLogin(teacher, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const capacityLine = () => teacher.textContent('.capacity-check .capacity-line');

  it('warns that 30 learners do not fit where 4 do, and creates the event only when told to', async () => {
    await teacher.goto(`${server.url}/instructor.html`);
    // The form's defaults (the first lesson, 30 learners) are checked as soon as it shows.
    await teacher.waitForSelector('.capacity-check[data-fits="false"]');
    expect(await capacityLine()).toBe('4 learners of Three files fit; you asked for 30. The others would get no nodes when the class is full.');

    await teacher.fill('input[name="name"]', 'Too big');
    await teacher.click('#event-form button[type="submit"]');
    await teacher.waitForSelector('.form-status.error:has-text("does not fit")');
    expect(await teacher.$$('.event-item')).toHaveLength(0);

    // A class that fits needs no choice; the warning follows the size as it is typed.
    await teacher.fill('input[name="capacity"]', '3');
    await teacher.waitForSelector('.capacity-check[data-fits="true"]');
    expect(await capacityLine()).toBe('4 learners of Three files fit; you asked for 3.');
    expect(await teacher.$('input[name="createAnyway"]')).toBeNull();

    await teacher.fill('input[name="capacity"]', '10');
    await teacher.waitForSelector('.capacity-check[data-fits="false"]');
    await teacher.check('input[name="createAnyway"]');
    await teacher.click('#event-form button[type="submit"]');
    await teacher.waitForSelector('.dashboard .live-state.live');
    expect(await teacher.textContent('.event-item strong')).toBe('Too big');
  });

  it('shows the engine\'s state and load on the dashboard, updated in place, and drains it', async () => {
    const row = '.engines-panel tr[data-engine="here"]';
    await teacher.waitForSelector(`${row}[data-state="up"]`);
    const headers = await teacher.$$eval('.engines-panel th[scope="col"]', (cells) => cells.map((c) => c.textContent?.trim()));
    expect(headers).toEqual(['Engine', 'State', 'Sessions', 'Nodes', 'Memory (used / limit)', 'Load', 'Actions']);
    expect(await teacher.textContent(`${row} [data-col="sessions"]`)).toBe('0');
    const tableBefore = await teacher.$('.engines-panel table');

    // A self-paced session lands on "here": its node shows within one refresh of the panel.
    const api = apiClient(server.url);
    const session = await api.createSession({ template: 'single', swarm: false });
    try {
      await teacher.waitForFunction((selector) => document.querySelector(`${selector} [data-col="nodes"]`)?.textContent === '1', row, { timeout: 20_000 });
      expect(await teacher.textContent(`${row} [data-col="sessions"]`)).toBe('1');
      expect(await teacher.textContent(`${row} [data-col="load"]`)).toContain('25 %');
      // The state is said in words, not only in colour.
      expect((await teacher.textContent(`${row} .engine-state`))?.trim()).toBe('up');

      await teacher.click(`${row} button[data-action="drain"]`);
      await teacher.waitForSelector(`${row}[data-state="draining"]`);
      expect((await teacher.textContent(`${row} .engine-state`))?.trim()).toBe('draining');
      // No new session goes to a drained engine (it is the only one): a clear 503.
      expect((await api.call('POST', '/sessions', undefined, { template: 'single', swarm: false })).status).toBe(503);
      await teacher.click(`${row} button[data-action="undrain"]`);
      await teacher.waitForSelector(`${row}[data-state="up"]`);
      // Updated in place: the same table element throughout.
      expect(await tableBefore!.evaluate((table) => table.isConnected)).toBe(true);
    } finally {
      await api.deleteSession(session);
    }
  });
});

describe('one engine, no fleet configured (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-one-engine', { instructorPassword: PASSWORD, lessonsDirs: [TEST_LESSONS], builtInLessons: false, classroom: { checkIntervalSeconds: 0 } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('plans the event on the one engine and shows its load, with no drain to offer', async () => {
    const teacher = await newPage(browser);
    await instructorLogin(teacher, server.url);
    await teacher.goto(`${server.url}/instructor.html`);
    await teacher.waitForSelector('.capacity-check[data-fits]');
    expect(await teacher.textContent('.capacity-check .capacity-line')).toMatch(/^\d+ learners of Three files fit; you asked for 30\./);
    await teacher.fill('input[name="name"]', 'Solo');
    await teacher.fill('input[name="capacity"]', '2');
    await teacher.waitForSelector('.capacity-check[data-fits="true"]');
    await teacher.click('#event-form button[type="submit"]');
    await teacher.waitForSelector('.engines-panel tr[data-engine="local"][data-state="up"]');
    expect(await teacher.$('.engines-panel tr[data-engine="local"] button')).toBeNull();
    expect(await teacher.textContent('.engines-panel tr[data-engine="local"] [data-col="memory"]')).toMatch(/^0 \/ [\d,]+ MiB$/);
  });
});
