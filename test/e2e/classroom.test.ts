import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage, windowListenerCount } from '../support/browser.js';
import { startTestServer } from '../support/test-server.js';
const PASSWORD = 'correct-horse-battery';

// An instructor-led class in two browser contexts: the instructor creates an event, a learner joins and passes a check,
// and the instructor's dashboard shows it live.
describe('classroom (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let teacher: Page;
  let learner: Page;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-classroom-ui', { instructorPassword: PASSWORD });
    browser = await launchChromium();
    teacher = await newPage(browser);
    learner = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs a class: create an event, join, run and check, see it on the dashboard', async () => {
    await teacher.goto(`${server.url}/instructor.html`);
    await teacher.fill('#password', 'not the password');
    await teacher.click('#login');
    await teacher.waitForSelector('.form-status.error');
    await teacher.fill('#password', PASSWORD);
    await teacher.click('#login');

    // No events yet: the new-event form opens.
    await teacher.waitForSelector('#event-form');
    await teacher.fill('#event-form input[name=name]', 'Swarm basics');
    // A class this machine holds (the form asks for an explicit choice to create one that does not fit).
    await teacher.fill('#event-form input[name=capacity]', '4');
    await teacher.uncheck('#event-form input[name=lessons][value="swarm-init"]');
    await teacher.check('#event-form input[name=lessons][value="services"]');
    await teacher.click('#event-form button[type=submit]');
    await teacher.waitForSelector('.dashboard .join-code');
    await teacher.waitForSelector('.live-state.live');
    const joinUrl = await teacher.getAttribute('#join-link', 'href');
    expect(joinUrl).toMatch(/\/join\.html\?code=/);

    await learner.goto(joinUrl!);
    expect(await learner.inputValue('#code')).not.toBe('');
    await learner.fill('#name', 'Ada');
    await learner.click('#join');
    await learner.waitForSelector('.lesson-page[data-lesson="services"]', { timeout: 120_000 });
    await learner.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 30_000 });
    await teacher.waitForSelector('tr[data-name="Ada"]');
    // The instructor opens Ada's row menu; it must stay open (the same element) through the live updates below.
    const menu = 'tr[data-name="Ada"] details.menu';
    await teacher.click(`${menu} summary`);
    await teacher.$eval(menu, (details) => (details.dataset.probe = 'kept'));

    await learner.click('.code-block[data-block="0"] [data-run]');
    await learner.waitForFunction(() => window.__workshop.terminalText('node1').includes('docker service create'), undefined, { timeout: 30_000 });
    // The service converges in a few seconds; the learner checks until it does, as a person would.
    const deadline = Date.now() + 90_000;
    for (;;) {
      await learner.click('[data-action="check"]');
      await learner.waitForSelector('[data-action="check"]:not([disabled])', { timeout: 60_000 });
      if (await learner.locator('.check-section.passed').count()) break;
      if (Date.now() > deadline) throw new Error(`check never passed: ${await learner.textContent('.check-section')}`);
      await learner.waitForTimeout(2000);
    }

    // The dashboard updates without a reload.
    await teacher.waitForSelector('tr[data-name="Ada"] .checks-cell[data-checks^="1/"]', { timeout: 15_000 });
    expect(await teacher.textContent('tr[data-name="Ada"]')).toContain('Run services');
    expect(await teacher.$eval(menu, (details) => (details as HTMLDetailsElement).open && details.dataset.probe === 'kept')).toBe(true);
    // And through the table's clock: the "on step" time is redrawn every 15 s.
    const onStep = await teacher.textContent('tr[data-name="Ada"] .on-step');
    await teacher.waitForFunction((before) => document.querySelector('tr[data-name="Ada"] .on-step')?.textContent !== before, onStep, { timeout: 20_000 });
    expect(await teacher.$eval(menu, (details) => (details as HTMLDetailsElement).open && details.dataset.probe === 'kept')).toBe(true);
    await teacher.click(`${menu} summary`);

    // A message reaches the learner as a toast.
    await teacher.fill('.message-form input', 'Five more minutes on this step');
    await teacher.click('.message-form button[type=submit]');
    await learner.waitForSelector('.toast-card.message:has-text("Five more minutes")', { timeout: 10_000 });

    mkdirSync('test-artifacts', { recursive: true });
    await teacher.screenshot({ path: 'test-artifacts/dashboard.png' });
    await learner.screenshot({ path: 'test-artifacts/learner.png' });
  });

  it("shows the learner's cluster and terminal to the instructor", async () => {
    await teacher.click('tr[data-name="Ada"] button:has-text("Cluster")');
    await teacher.waitForSelector('.drawer .node-card[data-node="node2"]', { timeout: 30_000 });
    await teacher.screenshot({ path: 'test-artifacts/dashboard-cluster.png' });
    await teacher.keyboard.press('Escape');
    await teacher.click('tr[data-name="Ada"] button:has-text("Terminal")');
    await teacher.waitForSelector('.drawer .tab[data-node="node1"] .dot.connected', { timeout: 30_000 });
    await teacher.waitForSelector('.drawer .xterm-rows:has-text("docker service create")', { timeout: 15_000 });
    await teacher.screenshot({ path: 'test-artifacts/dashboard-terminal.png' });
  });

  it('does not leak drawers or key listeners when the instructor switches between events', async () => {
    await teacher.keyboard.press('Escape');
    await teacher.waitForSelector('.drawer', { state: 'hidden' });
    const first = await teacher.getAttribute('.dashboard', 'data-event');
    const keyListeners = await windowListenerCount(teacher, 'keydown');
    await teacher.click('#new-event');
    await teacher.fill('#event-form input[name=name]', 'Second class');
    await teacher.fill('#event-form input[name=capacity]', '4');
    await teacher.click('#event-form button[type=submit]');
    await teacher.waitForSelector('.dashboard .join-code');
    const second = await teacher.getAttribute('.dashboard', 'data-event');
    expect(second).not.toBe(first);

    for (let round = 0; round < 3; round++) {
      await teacher.click(`.event-item[data-event="${first}"]`);
      await teacher.click('tr[data-name="Ada"] button:has-text("Cluster")');
      await teacher.waitForSelector('.drawer .node-card', { timeout: 30_000 });
      // Switching away while the drawer is open takes the drawer and its Escape listener with the dashboard.
      await teacher.click(`.event-item[data-event="${second}"]`);
      await teacher.waitForSelector(`.dashboard[data-event="${second}"]`);
    }
    expect(await teacher.locator('.drawer').count()).toBe(1);
    expect(await teacher.locator('.drawer:not([hidden])').count()).toBe(0);
    expect(await windowListenerCount(teacher, 'keydown')).toBe(keyListeners);
  });
});
