import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage, waitForTerminalText } from '../support/browser.js';
import { startTestServer } from '../support/test-server.js';

const PASSWORD = 'correct-horse-battery';
const HANGUL = /[\uac00-\ud7a3]/;
const htmlLang = (page: Page) => page.getAttribute('html', 'lang');
const storedLanguage = (page: Page) => page.evaluate(() => localStorage.getItem('swarm-workshop.language'));

// The interface in Korean: a learner whose browser prefers Korean, switching languages mid-lesson; and an
// instructor whose event sets Korean as its class's language.
describe('Korean interface (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startTestServer('t-e2e-korean-ui', { instructorPassword: PASSWORD });
    browser = await launchChromium();
    mkdirSync('test-artifacts', { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens a lesson in Korean, runs a block, shows a failing check, switches language and remembers it', async () => {
    const page = await newPage(browser, { locale: 'ko-KR' });
    const lessonRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      // The language asked for; the page also names its session, which is not what this test is about.
      if (url.pathname.startsWith('/api/lessons')) lessonRequests.push(`${url.pathname}?lang=${url.searchParams.get('lang')}`);
    });

    // The browser prefers Korean: the start page is Korean from its first render.
    await page.goto(server.url);
    await page.waitForSelector('#start-form');
    expect(await htmlLang(page)).toBe('ko');
    expect(await page.textContent('#start')).toBe('세션 시작');
    const switchKo = page.getByRole('combobox', { name: '언어' });
    expect(await switchKo.inputValue()).toBe('ko');

    await page.check('input[name=template][value="single"]');
    await page.click('#start');
    await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 120_000 });
    await page.waitForSelector('.lesson-list-head h2:text-is("레슨")');
    await page.click('.lesson-card[data-lesson="swarm-init"]');
    await page.waitForSelector('.lesson-page[data-lesson="swarm-init"] .step-title');
    expect(lessonRequests).toContain('/api/lessons/swarm-init?lang=ko');
    expect(await page.textContent('.step-number')).toMatch(/단계/);

    // Run the first step's block (docker info), then check the next step before initialising the swarm: it fails.
    await page.click('.code-block[data-block="0"] [data-run]');
    await waitForTerminalText(page, 'node1', 'Swarm: inactive');
    await page.click('.step-pill[data-step="1"]');
    await page.waitForSelector('[data-action="check"]:text-is("확인하기")');
    await page.click('[data-action="check"]');
    const finding = page.locator('.check.failed .assertions li').first();
    await finding.waitFor({ timeout: 30_000 });
    expect(await finding.textContent()).toMatch(/node1/);
    expect(await finding.textContent()).toMatch(HANGUL);
    expect(await page.getAttribute('.check.failed .check-icon', 'aria-label')).toBe('실패');
    expect(await page.textContent('.check-head strong')).toBe('체크');
    await page.screenshot({ path: 'test-artifacts/korean-lesson-failing.png' });

    // Initialise the swarm and pass the step, so there is earned progress to keep through the switches.
    await page.click('.code-block[data-block="0"] [data-run]');
    await waitForTerminalText(page, 'node1', 'Swarm initialized');
    await page.click('[data-action="check"]');
    await page.waitForSelector('.check-section.passed', { timeout: 30_000 });

    // Switch to English with the keyboard-reachable switch: same lesson, same step, results kept, lesson asked for again.
    await switchKo.focus();
    await switchKo.selectOption('en');
    await page.waitForSelector('[data-action="check"]:text-is("Check again")');
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getAttribute('.step-pill[data-step="1"]', 'aria-current')).toBe('step');
    await page.waitForFunction(() => document.querySelector('.step-pill[data-step="1"]')?.classList.contains('done'));
    await page.waitForFunction(() => document.querySelector('.lesson-page')?.isConnected && document.querySelector('.check-section.passed'));
    await expect.poll(() => lessonRequests.includes('/api/lessons/swarm-init?lang=en')).toBe(true);
    expect(await storedLanguage(page)).toBe('"en"');

    // The person's own choice beats the browser's preference after a reload.
    await page.reload();
    await page.waitForSelector('.lesson-page[data-lesson="swarm-init"] .step-pill[data-step="1"].done', { timeout: 30_000 });
    expect(await htmlLang(page)).toBe('en');
    expect(await page.textContent('.panel-tab[data-tab="lesson"]')).toBe('Lesson');

    // And back to Korean, remembered as well.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    await page.waitForSelector('.panel-tab[data-tab="lesson"]:text-is("레슨")');
    await page.reload();
    await page.waitForSelector('.lesson-page[data-lesson="swarm-init"] .step-pill[data-step="1"].done', { timeout: 30_000 });
    expect(await htmlLang(page)).toBe('ko');
    expect(await page.getByRole('combobox', { name: '언어' }).inputValue()).toBe('ko');
    expect(await page.textContent('#extend')).toBe('연장');
    await page.screenshot({ path: 'test-artifacts/korean-lesson.png' });
    await page.context().close();
  });

  it('runs a class in Korean: the event sets the language, a learner may still choose English', async () => {
    const teacher = await newPage(browser, { locale: 'en-US' });
    await teacher.goto(`${server.url}/instructor.html`);
    await teacher.fill('#password', PASSWORD);
    await teacher.click('#login');
    await teacher.waitForSelector('#event-form');
    expect(await htmlLang(teacher)).toBe('en');
    await teacher.fill('#event-form input[name=name]', '스웜 기초');
    await teacher.selectOption('#event-form select[name=language]', 'ko');
    await teacher.click('#event-form button[type=submit]');

    // The class's dashboard is in the class's language.
    await teacher.waitForSelector('.dashboard .join-code');
    await teacher.waitForSelector('.table-head h3:text-is("수강생")');
    expect(await htmlLang(teacher)).toBe('ko');
    expect(await teacher.textContent('.event-title')).toContain('수업 언어: 한국어');
    expect(await teacher.textContent('#new-event')).toBe('+ 새 이벤트');
    expect(await teacher.textContent('.learners thead')).toContain('마지막 활동');
    await teacher.screenshot({ path: 'test-artifacts/korean-dashboard.png' });
    const joinUrl = await teacher.getAttribute('#join-link', 'href');

    // A learner whose browser prefers English joins: the workspace opens in the class's Korean…
    const learner = await newPage(browser, { locale: 'en-US' });
    await learner.goto(joinUrl!);
    expect(await htmlLang(learner)).toBe('en');
    await learner.fill('#name', 'Ada');
    await learner.click('#join');
    await learner.waitForSelector('.lesson-page[data-lesson="swarm-init"]', { timeout: 120_000 });
    expect(await htmlLang(learner)).toBe('ko');
    expect(await learner.textContent('.panel-tab[data-tab="lesson"]')).toBe('레슨');
    await teacher.waitForSelector('tr[data-name="Ada"]');

    // …and their own choice wins over it, also after a reload.
    await learner.getByRole('combobox', { name: '언어' }).selectOption('en');
    await learner.waitForSelector('.panel-tab[data-tab="lesson"]:text-is("Lesson")');
    await learner.reload();
    await learner.waitForSelector('.lesson-page[data-lesson="swarm-init"]', { timeout: 60_000 });
    expect(await htmlLang(learner)).toBe('en');

    // The instructor may choose English for themself too; the dashboard follows at once.
    await teacher.getByRole('combobox', { name: '언어' }).selectOption('en');
    await teacher.waitForSelector('.table-head h3:text-is("Learners")');
    expect(await teacher.textContent('.event-title')).toContain('class language: 한국어');
    await learner.context().close();
    await teacher.context().close();
  });
});
