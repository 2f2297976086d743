import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { startTestServer } from '../support/test-server.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
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
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    teacher = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    learner = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
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
});
