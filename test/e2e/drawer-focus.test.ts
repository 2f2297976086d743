import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage } from '../support/browser.js';
import { startTestServer } from '../support/test-server.js';
import { PASSWORD, TEST_LESSONS, createEvent, instructorLogin, join } from './class-helpers.js';

/** Whether the focused element matches the selector. */
const focusedMatches = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
const focusInDrawer = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest('.drawer')));

/** Presses Tab until the selector's element has focus, as a keyboard user walks the page (at most `limit` presses). */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await focusedMatches(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

// The instructor's learner drawer (cluster and terminal) from the keyboard only: focus goes in when it opens, Tab and
// Shift+Tab stay inside while it is open, Escape closes it, and focus comes back to the button that opened it.
describe('drawer focus (Chromium, keyboard only)', () => {
  let server: RunningServer;
  let browser: Browser;
  let teacher: Page;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-drawer-focus', { instructorPassword: PASSWORD, lessonsDirs: [TEST_LESSONS], builtInLessons: false, classroom: { checkIntervalSeconds: 0 } });
    browser = await launchChromium();
    teacher = await newPage(browser);
    const learner = await newPage(browser);
    await instructorLogin(teacher, server.url);
    const event = await createEvent(teacher, server.url, { name: 'Keyboard class' });
    await join(learner, event, 'Ada');
    await teacher.waitForSelector('tr[data-name="Ada"] [data-action="watch-cluster"]:not([disabled])');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each([
    ['cluster', 'watch-cluster', '.drawer .node-card'],
    ['terminal', 'watch-terminal', '.drawer .tab[data-node="node1"] .dot.connected'],
  ])('the %s drawer holds the keyboard while open and gives focus back when Escape closes it', async (kind, action, loaded) => {
    const opener = `tr[data-name="Ada"] [data-action="${action}"]`;
    await tabTo(teacher, opener);
    await teacher.keyboard.press('Enter');
    await teacher.waitForSelector('.drawer[role="dialog"]:not([hidden])');
    expect(await focusedMatches(teacher, '.drawer [data-action="close-drawer"]')).toBe(true);
    await teacher.waitForSelector(loaded, { timeout: 30_000 });

    // Round and round, both ways: focus never leaves the drawer (and moves, where there is more than Close).
    const visited = new Set<string>();
    for (const key of [...Array(8).fill('Tab'), ...Array(8).fill('Shift+Tab')]) {
      await teacher.keyboard.press(key);
      expect(await focusInDrawer(teacher)).toBe(true);
      visited.add(await teacher.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? ''));
    }
    expect(visited.size).toBeGreaterThan(kind === 'terminal' ? 1 : 0);

    await teacher.keyboard.press('Escape');
    await teacher.waitForSelector('.drawer', { state: 'hidden' });
    expect(await focusedMatches(teacher, opener)).toBe(true);
  });

  it("a learner row's action menu closes with Escape and gives focus back to its toggle", async () => {
    const toggle = 'tr[data-name="Ada"] details.menu summary';
    await tabTo(teacher, toggle);
    await teacher.keyboard.press('Enter');
    await teacher.keyboard.press('Tab');
    expect(await teacher.evaluate(() => Boolean(document.activeElement?.closest('details.menu[open]')))).toBe(true);
    await teacher.keyboard.press('Escape');
    expect(await teacher.$eval('tr[data-name="Ada"] details.menu', (menu) => (menu as HTMLDetailsElement).open)).toBe(false);
    expect(await focusedMatches(teacher, toggle)).toBe(true);
  });
});
