import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { EventView } from '../../shared/classroom-protocol.js';

/** A one-node lesson whose steps each write a file (test/e2e/lessons): sessions start fast, solutions run fast. */
export const TEST_LESSONS = fileURLToPath(new URL('./lessons/', import.meta.url));
export const LESSON = 'three-files';
export const PASSWORD = 'correct-horse-battery';

/** Logs the instructor's page in through the API (the cookie lands in the page's context) and opens the dashboard. */
export async function instructorLogin(page: Page, url: string): Promise<void> {
  const login = await page.request.post(`${url}/api/instructor/login`, { data: { password: PASSWORD } });
  if (!login.ok()) throw new Error(`login: ${login.status()}`);
}

/** Creates an event as the logged-in instructor and shows its dashboard. */
export async function createEvent(page: Page, url: string, body: Record<string, unknown>): Promise<EventView> {
  const res = await page.request.post(`${url}/api/instructor/events`, { data: { lessons: [LESSON], capacity: 10, ...body } });
  if (res.status() !== 201) throw new Error(`create event: ${res.status()} ${await res.text()}`);
  const event = (await res.json()) as EventView;
  await page.goto(`${url}/instructor.html`);
  await page.click(`.event-item[data-event="${event.id}"]`);
  await page.waitForSelector(`.dashboard[data-event="${event.id}"] .live-state.live`);
  return event;
}

/** A learner joins with the event's link and a name, and waits for their lesson and node1's terminal. */
export async function join(page: Page, event: EventView, name: string): Promise<void> {
  await page.goto(event.joinUrl);
  await page.fill('#name', name);
  await page.click('#join');
  await waitForLessonAndTerminal(page);
}

export async function waitForLessonAndTerminal(page: Page): Promise<void> {
  await page.waitForSelector(`.lesson-page[data-lesson="${LESSON}"]`, { timeout: 120_000 });
  await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 60_000 });
}

/** Runs a command on a node of the page's own session, with the page's own credential (as a script could). */
export async function execOnPageSession(page: Page, url: string, command: string): Promise<{ exitCode: number; output: string }> {
  const creds = await page.evaluate(() => window.__workshop.session());
  if (!creds) throw new Error('the page holds no session');
  const res = await fetch(`${url}/api/sessions/${creds.id}/nodes/node1/exec`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${creds.token}` },
    body: JSON.stringify({ command }),
  });
  if (!res.ok) throw new Error(`exec: ${res.status} ${await res.text()}`);
  return (await res.json()) as { exitCode: number; output: string };
}

/** Types a command into node1's terminal as the learner would, and waits for a marker it prints. */
export async function typeInTerminal(page: Page, command: string, marker: string): Promise<void> {
  await page.click('.terminal-pane.active .xterm-screen');
  await page.keyboard.type(`${command}\n`);
  await page.waitForFunction((m) => window.__workshop.terminalText('node1').includes(m), marker, { timeout: 30_000 });
}

/** Presses Check on the step shown and waits for the answer (the button is enabled again). */
export async function check(page: Page): Promise<void> {
  await page.click('[data-action="check"]');
  await page.waitForSelector('[data-action="check"]:not([disabled])', { timeout: 60_000 });
}

/** Accepts every confirm() and answers every prompt() with the next of `answers`. */
export function answerDialogs(page: Page, answers: string[] = []): void {
  page.on('dialog', (dialog) => void (dialog.type() === 'prompt' ? dialog.accept(answers.shift() ?? '') : dialog.accept()));
}
