import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage } from '../support/browser.js';
import { startTestServer } from '../support/test-server.js';

const CODE = 'swarm-class-2026';

// A server in `code` mode: the start page asks a self-paced learner for the access code, says so when it is
// wrong, and keeps the right one for the next start.
describe('access code on the start page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-access', { access: { mode: 'code', code: CODE } });
    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for the code, refuses a wrong one, starts with the right one and remembers it', async () => {
    const prompts: string[] = [];
    const answers = ['not-the-code', CODE];
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message());
      void dialog.accept(answers.shift() ?? '');
    });
    await page.goto(server.url);
    await page.check('input[name=template][value="single"]');
    await page.click('#start');
    await page.waitForSelector('.tab[data-node=node1]', { timeout: 120_000 });
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toMatch(/access code/);
    expect(prompts[1]).toMatch(/not the one of this server/);
    expect(await page.evaluate(() => localStorage.getItem('swarm-workshop.access-code'))).toBe(JSON.stringify(CODE));
    expect(server.sessions.ids()).toHaveLength(1);
  });
});
