import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage, waitForTerminalText } from '../support/browser.js';
import { startTestServer } from '../support/test-server.js';

const PASSWORD = 'correct-horse-battery';
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core (WCAG 2 A and AA rules) on what the page shows now; fails on any serious or critical violation,
 * naming each rule and the elements it found, so the failure says what to fix.
 */
async function audit(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const blocking = violations.filter((v) => v.impact && BLOCKING.has(v.impact));
  const report = blocking
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}\n    ${n.failureSummary?.replace(/\n/g, '\n    ')}`).join('\n')}`)
    .join('\n');
  if (blocking.length) console.error(`axe on ${what}:\n${report}`);
  expect(blocking.map((v) => v.id), `${what}:\n${report}`).toEqual([]);
}

/** Whether the focused element (or, for a visually hidden radio, the box drawn for it) shows a focus ring. */
function focusShown(page: Page) {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return { ok: false, what: 'nothing focused' };
    const drawn = getComputedStyle(active).opacity === '0' && active.nextElementSibling ? active.nextElementSibling : active;
    const style = getComputedStyle(drawn);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none';
    const what = `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}.${[...active.classList].join('.')}`;
    return { ok: active.matches(':focus-visible') && (outline || ring), what };
  });
}

// Every page a learner or an instructor sees, audited in English and in Korean, and a learner's way from the start
// page to a terminal with the keyboard alone. The local provider's shells stand in for nodes: the pages are the same.
describe('accessibility (Chromium, axe-core)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-a11y', { localProvider: true, instructorPassword: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const locale of ['en-US', 'ko-KR']) {
    it(`finds no serious violation on the learner's pages (${locale})`, async () => {
      const page = await newPage(browser, { locale });
      await page.goto(server.url);
      await page.waitForSelector('#start-form');
      await audit(page, `start page (${locale})`);

      await page.check('input[name=template][value="single"]');
      await page.click('#start');
      await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 60_000 });
      await page.waitForSelector('.lesson-card[data-lesson="swarm-init"]');
      await audit(page, `workspace with the lesson list (${locale})`);

      // Blocks are not run here: on the local provider they would reach this host's own Docker engine.
      await page.click('.lesson-card[data-lesson="swarm-init"]');
      await page.waitForSelector('.lesson-page[data-lesson="swarm-init"] .step-title');
      await page.click('.step-pill[data-step="1"]');
      await page.waitForSelector('.step-pill[data-step="1"][aria-current="step"]');
      await audit(page, `lesson page (${locale})`);

      // A lesson for another layout offers a fresh session in a banner.
      await page.click('.lesson-head .back');
      await page.click('.lesson-card[data-lesson="final-exercise"]');
      await page.waitForSelector('.lesson-page[data-lesson="final-exercise"] .layout-banner');
      await audit(page, `lesson page for another layout (${locale})`);

      await page.click('.panel-tab[data-tab="cluster"]');
      await page.waitForSelector('.cluster-view :is(.node-grid, .cluster-error)', { timeout: 30_000 });
      await audit(page, `cluster tab (${locale})`);

      await page.goto(`${server.url}/join.html`);
      await page.waitForSelector('#join-form');
      await audit(page, `join page (${locale})`);
      await page.context().close();
    });

    it(`finds no serious violation on the instructor's pages (${locale})`, async () => {
      const teacher = await newPage(browser, { locale });
      await teacher.goto(`${server.url}/instructor.html`);
      await teacher.waitForSelector('#password');
      await audit(teacher, `instructor login (${locale})`);
      await teacher.fill('#password', PASSWORD);
      await teacher.click('#login');
      // The second round finds the first round's event open: the form is one click away.
      await teacher.waitForSelector('#event-form, .dashboard');
      if (!(await teacher.locator('#event-form').count())) await teacher.click('#new-event');
      await teacher.waitForSelector('#event-form');
      await audit(teacher, `new-event form (${locale})`);

      await teacher.fill('#event-form input[name=name]', `Class ${locale}`);
      await teacher.click('#event-form button[type=submit]');
      await teacher.waitForSelector('.dashboard .join-code');
      await teacher.waitForSelector('.live-state.live');
      const joinUrl = await teacher.getAttribute('#join-link', 'href');

      const learner = await newPage(browser, { locale });
      await learner.goto(joinUrl!);
      await learner.fill('#name', 'Ada');
      await learner.click('#join');
      await learner.waitForSelector('.lesson-page', { timeout: 60_000 });
      await teacher.waitForSelector('tr[data-name="Ada"]');
      await teacher.click('tr[data-name="Ada"] details.menu summary');
      await audit(teacher, `dashboard with a learner and an open row menu (${locale})`);

      await teacher.keyboard.press('Escape');
      await teacher.click('tr[data-name="Ada"] [data-action="watch-terminal"]');
      await teacher.waitForSelector('.drawer .tab[data-node="node1"] .dot.connected', { timeout: 30_000 });
      await audit(teacher, `dashboard with a learner's terminal (${locale})`);
      await learner.context().close();
      await teacher.context().close();
    });
  }

  it('takes a learner from the start page to a terminal with the keyboard alone, focus always shown', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    await page.waitForSelector('#start-form');
    const path: string[] = [];
    for (let presses = 0; presses < 20; presses++) {
      await page.keyboard.press('Tab');
      const focus = await focusShown(page);
      expect(focus.ok, `focus on ${focus.what} is not shown`).toBe(true);
      path.push(focus.what);
      if (focus.what.startsWith('button#start')) break;
    }
    expect(path.at(-1), `Tab never reached Start: ${path.join(' → ')}`).toMatch(/^button#start/);
    // The radios are one stop; the arrow keys choose within them.
    expect(path.filter((what) => what.startsWith('input.')).length).toBe(1);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 60_000 });

    // The terminal has the focus once the session is open: typing goes to the node.
    expect(await page.evaluate(() => document.activeElement?.closest('.terminal-pane')?.getAttribute('data-node'))).toBe('node1');
    // xterm.js's input is a hidden textarea: the frame drawn around the terminals shows where the keyboard is.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#terminal-host')!, '::after').borderTopStyle)).toBe('solid');
    await page.keyboard.type('echo "typed $((6*7))"');
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, 'node1', 'typed 42');

    // Tab alone is the shell's completion; Escape then Tab leaves the terminal for the next control, focus shown.
    const inTerminal = () => page.evaluate(() => Boolean(document.activeElement?.closest('.terminal-pane')));
    await page.keyboard.press('Tab');
    expect(await inTerminal()).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await inTerminal()).toBe(false);
    const after = await focusShown(page);
    expect(after.ok, `focus on ${after.what} is not shown`).toBe(true);
    // Its name says which node it types into, and it is described by the keys hint.
    const input = page.getByRole('textbox', { name: 'Terminal on node1' });
    expect(await input.getAttribute('aria-describedby')).toBe('terminal-keys');
    expect(await page.textContent('#terminal-keys')).toContain('Esc');
    await page.context().close();
  });

  it("switches the terminal's screen-reader mode from the keyboard and remembers it", async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    await page.check('input[name=template][value="single"]');
    await page.click('#start');
    await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 60_000 });
    expect(await page.locator('.terminal-pane[data-node="node1"] .xterm-accessibility').count()).toBe(0);

    // The switch sits just before the language switch in the top bar.
    const toggle = page.getByRole('checkbox', { name: 'Screen reader mode' });
    await page.focus('#language');
    await page.keyboard.press('Shift+Tab');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await focusShown(page)).ok).toBe(true);
    await page.keyboard.press('Space');
    await page.waitForSelector('.terminal-pane[data-node="node1"] .xterm-accessibility');
    expect(await page.evaluate(() => localStorage.getItem('swarm-workshop.screen-reader'))).toBe('true');

    await page.reload();
    await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 60_000 });
    await page.waitForSelector('.terminal-pane[data-node="node1"] .xterm-accessibility');
    expect(await toggle.isChecked()).toBe(true);
    await audit(page, 'workspace in screen-reader mode');
    await page.context().close();
  });
});
