import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../../shared/classroom-protocol.js';
import { buildClient } from '../../scripts/build-client.js';
import type { RunningServer } from '../../server/server.js';
import { launchChromium, newPage } from '../support/browser.js';
import { startTestServer } from '../support/test-server.js';
import { LESSON, PASSWORD, TEST_LESSONS, answerDialogs, check, createEvent, execOnPageSession, instructorLogin, join, typeInTerminal, waitForLessonAndTerminal } from './class-helpers.js';

/** The step pills' states on a learner's page, by step index: skipped, done, current… */
const pillClasses = (page: Page) => page.$$eval('.step-pill', (pills) => pills.map((p) => p.className));

// "Skip to this step" and "Restart lesson" in a class (by the instructor, for one learner and for everyone, and by
// the learner) and self-paced, on a one-node lesson whose steps each write a file (test/e2e/lessons/three-files.md).
describe('catch-up and restart (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let teacher: Page;
  let ada: Page;
  let bob: Page;
  let event: EventView;

  beforeAll(async () => {
    await buildClient({ minify: true });
    // No scheduled checks: what is earned here is what the learners' own Check presses earn.
    server = await startTestServer('t-e2e-catch-up', { instructorPassword: PASSWORD, lessonsDirs: [TEST_LESSONS], builtInLessons: false, classroom: { checkIntervalSeconds: 0 } });
    browser = await launchChromium();
    [teacher, ada, bob] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
    for (const page of [teacher, ada, bob]) answerDialogs(page, ['3']);
    await instructorLogin(teacher, server.url);
    event = await createEvent(teacher, server.url, { name: 'Late class' });
    await Promise.all([join(ada, event, 'Ada'), join(bob, event, 'Bob')]);
    await teacher.waitForSelector('tr[data-name="Bob"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the instructor skips one learner to step 3: earlier steps skipped, their solutions ran, the learner earns step 3', async () => {
    await teacher.click('tr[data-name="Ada"] details.menu summary');
    await teacher.click('tr[data-name="Ada"] [data-action="skip-learner"]');
    await teacher.waitForSelector('.toast-card:has-text("Ada was caught up to step 3")', { timeout: 120_000 });
    await teacher.click('tr[data-name="Ada"] details.menu summary');

    // Ada's page was moved there by the server, on the same session.
    await ada.waitForSelector('.step-pill[data-step="2"][aria-current="step"]', { timeout: 30_000 });
    await ada.waitForSelector('.step-pill[data-step="1"].skipped');
    const pills = await pillClasses(ada);
    expect(pills[0]).toContain('skipped');
    expect(pills[0]).not.toContain('done');
    expect(await ada.getAttribute('.step-pill[data-step="0"]', 'aria-label')).toContain('skipped');
    // The solutions of steps 1 and 2 really ran in her node.
    expect((await execOnPageSession(ada, server.url, 'cat /tmp/step-1 /tmp/step-2')).output).toMatch(/one\s+two/);

    // Step 3 is hers to do: she types it, checks, and earns it.
    await typeInTerminal(ada, 'echo three > /tmp/step-3; echo wrote-$((1+2))', 'wrote-3');
    await check(ada);
    await ada.waitForSelector('.check-section.passed');
    expect(await ada.textContent('.check[data-check="third-file"] .check-points')).toMatch(/1\s*\/\s*1/);
    // The earlier steps stay skipped, earning nothing, on the page and on the dashboard.
    await ada.click('.step-pill[data-step="0"]');
    await ada.waitForSelector('.skipped-note');
    expect(await ada.getAttribute('.check[data-check="first-file"]', 'class')).toContain('skipped');
    await teacher.waitForSelector('tr[data-name="Ada"] .checks-cell[data-checks^="1/3"]', { timeout: 15_000 });
    expect(await teacher.textContent('tr[data-name="Ada"] .skipped-steps')).toContain('1, 2');
  });

  it('the instructor catches everyone up to step 2: the one behind is moved, the one ahead stays', async () => {
    await teacher.fill('.skip-everyone input[name=step]', '2');
    await teacher.click('[data-action="skip-everyone"]');
    await teacher.waitForSelector('.toast-card:has-text("Done for 2 learners")', { timeout: 120_000 });
    await bob.waitForSelector('.step-pill[data-step="1"][aria-current="step"]', { timeout: 30_000 });
    expect((await pillClasses(bob))[0]).toContain('skipped');
    expect((await execOnPageSession(bob, server.url, 'cat /tmp/step-1')).output).toContain('one');
    // Ada, past step 2 already, was left where she is.
    expect(await ada.getAttribute('.step-pill[data-step="0"]', 'aria-current')).toBe('step');
    expect((await execOnPageSession(ada, server.url, 'cat /tmp/step-3')).output).toContain('three');

    // Bob goes on with step 2's Run button and earns it.
    await bob.click('.code-block[data-block="0"] [data-run]');
    await bob.waitForFunction(() => window.__workshop.terminalText('node1').includes('echo two'), undefined, { timeout: 30_000 });
    await check(bob);
    await bob.waitForSelector('.check-section.passed');
    await teacher.waitForSelector('tr[data-name="Bob"] .checks-cell[data-checks^="1/3"]', { timeout: 15_000 });
  });

  it('"Restart lesson" by the learner: a fresh cluster in the same session, terminals back, progress reset', async () => {
    const before = await ada.evaluate(() => window.__workshop.session()!.id);
    await ada.click('[data-action="restart-lesson"]');
    await ada.waitForFunction((old) => window.__workshop.session()?.id !== old, before, { timeout: 120_000 });
    await waitForLessonAndTerminal(ada);
    await ada.waitForSelector('.step-pill[data-step="0"][aria-current="step"]');
    expect(await ada.locator('.step-pill.skipped, .step-pill.done').count()).toBe(0);
    // A fresh node of the lesson's template: none of the files are there.
    expect((await execOnPageSession(ada, server.url, 'ls /tmp/step-1 /tmp/step-3 2>&1; true')).output).toMatch(/No such file/);
    await teacher.waitForSelector('tr[data-name="Ada"] .checks-cell[data-checks^="0/3"]', { timeout: 15_000 });
    expect(await teacher.locator('tr[data-name="Ada"] .skipped-steps').count()).toBe(0);
  });

  it('"Reset" by the instructor for one learner: that learner gets a fresh cluster and reconnects', async () => {
    const before = await bob.evaluate(() => window.__workshop.session()!.id);
    await teacher.click('tr[data-name="Bob"] details.menu summary');
    await teacher.click('tr[data-name="Bob"] [data-action="reset-learner"]');
    await bob.waitForFunction((old) => window.__workshop.session()?.id !== old, before, { timeout: 120_000 });
    await waitForLessonAndTerminal(bob);
    expect((await execOnPageSession(bob, server.url, 'ls /tmp/step-1 /tmp/step-2 2>&1; true')).output).toMatch(/No such file/);
    await teacher.waitForSelector('tr[data-name="Bob"] .checks-cell[data-checks^="0/3"]', { timeout: 15_000 });
  });

  it('a self-paced learner skips to step 3 from the lesson panel, and earns step 3', async () => {
    const solo = await newPage(browser);
    answerDialogs(solo);
    await solo.goto(server.url);
    await solo.check('input[name=template][value="single"]');
    await solo.click('#start');
    await solo.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 120_000 });
    await solo.click(`.lesson-card[data-lesson="${LESSON}"]`);
    await solo.click('.step-pill[data-step="2"]');
    expect(await solo.locator('[data-action="restart-lesson"]').count()).toBe(0);
    await solo.click('[data-action="skip-to-step"]');
    await solo.waitForSelector('.step-pill[data-step="1"].skipped', { timeout: 120_000 });
    expect((await pillClasses(solo))[0]).toContain('skipped');
    expect((await execOnPageSession(solo, server.url, 'cat /tmp/step-1 /tmp/step-2')).output).toMatch(/one\s+two/);
    await typeInTerminal(solo, 'echo three > /tmp/step-3; echo wrote-$((1+2))', 'wrote-3');
    await check(solo);
    await solo.waitForSelector('.check-section.passed');
    expect(await solo.textContent('.check[data-check="third-file"] .check-points')).toMatch(/1\s*\/\s*1/);
    expect(await solo.textContent('.progress-text')).toMatch(/\b1\s*\/\s*3\b/);
  });
});
