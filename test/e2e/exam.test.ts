import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../../shared/classroom-protocol.js';
import type { GradeReport } from '../../shared/lesson-protocol.js';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage } from '../support/browser.js';
import { eventually, startTestServer } from '../support/test-server.js';
import { LESSON, PASSWORD, TEST_LESSONS, answerDialogs, check, createEvent, instructorLogin, typeInTerminal, waitForLessonAndTerminal } from './class-helpers.js';

/** How long after its creation the exam opens, and how long it runs: what the learners do in it fits in that. */
const OPENS_AFTER_MS = 8_000;
const RUNS_FOR_MS = 60_000;

/** Waits until the wall clock passes `at` (an exam's opening or close), polling, with a deadline. */
const waitUntil = (page: Page, at: number) => page.waitForFunction((t) => Date.now() > t, at, { timeout: at - Date.now() + 30_000, polling: 250 });

async function tryJoin(page: Page, event: EventView, name: string): Promise<void> {
  await page.goto(event.joinUrl);
  await page.fill('#name', name);
  await page.click('#join');
}

// An exam event with a short window set by the test: refused before it opens, no hints, solutions or Run for its
// learner while it runs (a self-paced learner on the same lesson keeps them), graded automatically at its close
// with the lesson's rule, exported, and late joins refused.
describe('exam (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let teacher: Page;
  let ada: Page;
  let solo: Page;
  let event: EventView;
  let opensAt: number;
  let closesAt: number;

  beforeAll(async () => {
    await buildClient({ minify: true });
    // Events are closed by the sweep: every second here, so the close is seen soon after the exam's end.
    server = await startTestServer('t-e2e-exam', { instructorPassword: PASSWORD, lessonsDirs: [TEST_LESSONS], builtInLessons: false, classroom: { checkIntervalSeconds: 0 }, sessions: { sweepSeconds: 1 } });
    browser = await launchChromium();
    [teacher, ada, solo] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
    answerDialogs(ada);
    await instructorLogin(teacher, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a learner before the exam opens', async () => {
    opensAt = Date.now() + OPENS_AFTER_MS;
    closesAt = opensAt + RUNS_FOR_MS;
    event = await createEvent(teacher, server.url, { name: 'Final exam', exam: { opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() } });
    expect(await teacher.textContent('.event-header')).toContain('exam');
    await tryJoin(ada, event, 'Ada');
    await ada.waitForSelector('#join-status.error');
    expect(await ada.textContent('#join-status')).toMatch(/opens at .*join then/);
  });

  it('hides hints, solutions and Run from the exam learner only; a self-paced learner keeps them', async () => {
    const selfPaced = (async () => {
      await solo.goto(server.url);
      await solo.check('input[name=template][value="single"]');
      await solo.click('#start');
      await solo.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 120_000 });
      await solo.click(`.lesson-card[data-lesson="${LESSON}"]`);
    })();
    await waitUntil(ada, opensAt);
    await tryJoin(ada, event, 'Ada');
    await waitForLessonAndTerminal(ada);
    await selfPaced;

    // During the exam, for Ada: the note, no Run, no hint on a failing check, no solution on step 3.
    expect(Date.now()).toBeLessThan(closesAt);
    await ada.waitForSelector('.exam-note');
    expect(await ada.locator('[data-run]').count()).toBe(0);
    expect(await ada.locator('[data-action="skip-to-step"]').count()).toBe(0);
    await check(ada);
    await ada.waitForSelector('.check[data-check="first-file"].failed');
    expect(await ada.locator('.check-title .link-button, .check-hint').count()).toBe(0);
    await ada.click('.step-pill[data-step="2"]');
    expect(await ada.locator('.solution-toggle').count()).toBe(0);

    // The self-paced learner, on the same lesson at the same time: Run, a hint, and step 3's solution.
    expect(await solo.locator('.exam-note').count()).toBe(0);
    expect(await solo.locator('.code-block [data-run]').count()).toBeGreaterThan(0);
    await check(solo);
    await solo.click('.check[data-check="first-file"] .check-title .link-button');
    expect(await solo.textContent('.check-hint')).toContain('/tmp/step-1');
    await solo.click('.step-pill[data-step="2"]');
    await solo.click('.solution-toggle');
    expect(await solo.textContent('.solution-host')).toContain('echo three > /tmp/step-3');

    // Ada answers step 1 (and checks it), then does step 2 without pressing Check: the close grades it.
    await ada.click('.step-pill[data-step="0"]');
    await typeInTerminal(ada, 'echo one > /tmp/step-1; echo wrote-$((0+1))', 'wrote-1');
    await check(ada);
    await ada.waitForSelector('.check-section.passed');
    await ada.click('.step-pill[data-step="1"]');
    await typeInTerminal(ada, 'echo two > /tmp/step-2; echo wrote-$((1+1))', 'wrote-2');
    expect(Date.now()).toBeLessThan(closesAt);
  });

  it('grades every learner at the close with the lesson\'s rule, and exports the results', async () => {
    await waitUntil(teacher, closesAt);
    // The sweep closes it within a second or two; grading runs the lesson's checks on Ada's cluster first.
    await eventually(async () => {
      const res = await teacher.request.get(`${server.url}/api/instructor/events/${event.id}`);
      return Boolean(((await res.json()) as { event: EventView }).event.exam?.gradedAt);
    }, 60_000, 500);
    // Ada's session ended with the exam.
    await ada.waitForSelector('text=/session has ended|session was ended/i', { timeout: 30_000 });

    // The dashboard says graded, and its CSV download has Ada's grade: step 1 (checked) and step 2 (graded at the close).
    await teacher.reload();
    await teacher.click(`.event-item[data-event="${event.id}"]`);
    await teacher.waitForSelector('.event-header:has-text("graded")');
    const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.click('.grade-tool a:has-text("CSV")')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toMatch(/Ada/);
    const json = await teacher.request.get(`${server.url}/api/instructor/events/${event.id}/results?format=json&lesson=${LESSON}`);
    const { reports } = (await json.json()) as { reports: GradeReport[] };
    const graded_ = reports.find((r) => r.learner === 'Ada')!;
    expect(graded_).toMatchObject({ earned: 2, possible: 3, rule: 'earned' });
    expect(graded_.checks.filter((c) => c.earned > 0).map((c) => c.id)).toEqual(['first-file', 'second-file']);
  });

  it('refuses a late join after the close with a clear message', async () => {
    const late = await newPage(browser);
    await tryJoin(late, event, 'Carol');
    await late.waitForSelector('#join-status.error');
    expect(await late.textContent('#join-status')).toMatch(/closed at .*late joins are refused/);
  });
});
