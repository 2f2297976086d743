import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with everything that would reach the network or the profile turned off. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page in a context of its own (its own storage and cookies), at the size the tests' screenshots use. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  return context.newPage();
}

/** Waits until a node's terminal (read through the page's test hook) contains the text. */
export async function waitForTerminalText(page: Page, node: string, needle: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(([n, t]) => window.__workshop.terminalText(n).includes(t), [node, needle] as const, { timeout, polling: 100 });
}

/** How many listeners of this event type the page's window has, as DevTools counts them. */
export async function windowListenerCount(page: Page, type: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return listeners.filter((l) => l.type === type).length;
  } finally {
    await cdp.detach();
  }
}
