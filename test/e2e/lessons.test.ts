import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage, waitForTerminalText } from '../support/browser.js';
import { apiClient, startTestServer } from '../support/test-server.js';

// A learner's path through the lesson panel: open the first lesson, fail a check, run the step's command, pass it.
describe('lesson panel (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const waitForText = (node: string, needle: string, timeout?: number) => waitForTerminalText(page, node, needle, timeout);

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-lessons-ui');
    browser = await launchChromium();
    page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the first lesson, shows a failing check, runs a block and turns the step green', async () => {
    await page.goto(server.url);
    await page.check('input[name=template][value="single"]');
    await page.click('#start');
    await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 120_000 });

    // The catalogue, then the first lesson; it fits a single plain node, so no fresh session is offered.
    await page.click('.lesson-card[data-lesson="swarm-init"]');
    await page.waitForSelector('.lesson-page[data-lesson="swarm-init"] .step-title');
    expect(await page.locator('[data-action="prepare-session"]').count()).toBe(0);

    await page.click('.step-pill[data-step="1"]');
    await page.waitForSelector('.step-title:has-text("Initialise the swarm")');

    // Checking before running: the failed assertion's exact message, and the hint on demand.
    await page.click('[data-action="check"]');
    const failure = page.locator('.check.failed .assertions li').first();
    await failure.waitFor({ timeout: 30_000 });
    expect(await failure.textContent()).toMatch(/node1/);
    await page.click('.check.failed .check-title .link-button');
    expect(await page.textContent('.check-hint')).toContain('docker swarm init');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/lesson-failing.png' });

    // Run sends only (lesson, step, block); the server types the command into node1's terminal.
    await page.click('.code-block[data-block="0"] [data-run]');
    await waitForText('node1', 'Swarm initialized');
    await page.click('[data-action="check"]');
    await page.waitForSelector('.check-section.passed', { timeout: 30_000 });
    const states = await page.$$eval('.check-section .check', (items) => items.map((item) => item.className));
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((c) => c.includes('passed'))).toBe(true);
    expect(await page.getAttribute('.step-pill[data-step="1"]', 'class')).toContain('done');
    await page.screenshot({ path: 'test-artifacts/lesson.png' });
  });

  it('keeps the progress after a reload and shows the live cluster', async () => {
    await page.reload();
    await page.waitForSelector('.lesson-page[data-lesson="swarm-init"]');
    await page.waitForSelector('.step-pill[data-step="1"].done', { timeout: 15_000 });
    await page.click('.panel-tab[data-tab="cluster"]');
    await page.waitForSelector('.node-card[data-node="node1"] .badge.leader', { timeout: 20_000 });
    await page.screenshot({ path: 'test-artifacts/cluster.png' });
  });

  it("keeps a block's Run output when the step is checked", async () => {
    // A file block runs with exec and shows its output under the block; it needs the lesson's own layout.
    const session = await apiClient(server.url).createSession({ template: 'swarm-1m2w', swarm: true, lesson: 'configs-secrets' });
    const learner = await newPage(browser);
    await learner.goto(`${server.url}/#s=${session.id}.${session.token}`);
    await learner.waitForSelector('.lesson-page[data-lesson="configs-secrets"] .step-title', { timeout: 60_000 });
    await learner.click('.code-block[data-file="/root/web.conf"] [data-run]');
    const output = learner.locator('.code-block[data-file="/root/web.conf"] .run-output.ok');
    await output.waitFor({ timeout: 30_000 });
    const shown = await output.textContent();
    expect(shown).toContain('Wrote /root/web.conf on node1');

    // The config is not created yet, so the check fails; the output of Run stays where it was, through and after.
    await learner.click('[data-action="check"]');
    await learner.waitForSelector('[data-action="check"][disabled]', { timeout: 5_000 }).catch(() => undefined);
    expect(await output.textContent()).toBe(shown);
    await learner.waitForSelector('.check-section .check.failed', { timeout: 60_000 });
    expect(await output.isVisible()).toBe(true);
    expect(await output.textContent()).toBe(shown);
    await learner.context().close();
  });
});
