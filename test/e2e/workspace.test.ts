import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../scripts/build-client.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// The learner's path in a real browser: start a swarm lab, init on node1, copy the join command, paste it into node2.
describe('workspace page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-e2e-ws-'));
  const text = (node: string) => page.evaluate((n) => window.__workshop.terminalText(n), node);
  const waitForText = (node: string, needle: string, timeout = 60_000) =>
    page.waitForFunction(([n, t]) => window.__workshop.terminalText(n).includes(t), [node, needle] as const, { timeout, polling: 200 });

  beforeAll(async () => {
    await buildClient({ minify: true });
    server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 't-e2e-ws', dataDir, logLevel: 'warn' } }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('forms a swarm by typing, copying and pasting in the terminals', async () => {
    await page.goto(server.url);
    await page.check('input[name=template][value="swarm-1m2w"]');
    expect(await page.isChecked('#swarm-formed')).toBe(false);
    await page.click('#start');
    await page.waitForSelector('.tab[data-node=node3]', { timeout: 120_000 });
    await page.waitForFunction(() => ['node1', 'node2', 'node3'].every((n) => window.__workshop.terminalState(n) === 'connected'), undefined, { timeout: 30_000 });
    expect(page.url()).toMatch(/#s=[a-z0-9]+\./);

    // Focus follows the selected tab: node1 is selected, so typing goes to its shell.
    await waitForText('node1', '#');
    await page.keyboard.type('docker swarm init --advertise-addr eth0\n');
    await waitForText('node1', 'Swarm initialized');

    const selected = await page.evaluate(() => window.__workshop.selectMatch('node1', 'docker swarm join --token \\S+ [\\d.]+:\\d+'));
    expect(selected).toMatch(/^docker swarm join --token SWMTKN-\S+ [\d.]+:2377$/);
    await page.keyboard.press('Control+Shift+KeyC');

    await page.click('.tab[data-node=node2]');
    await waitForText('node2', '#');
    await page.keyboard.press('Control+Shift+KeyV');
    await waitForText('node2', 'docker swarm join --token SWMTKN-', 10_000);
    await page.keyboard.press('Enter');
    await waitForText('node2', 'This node joined a swarm as a worker');

    await page.keyboard.press('Alt+Digit1');
    await page.keyboard.type('docker node ls\n');
    await waitForText('node1', 'node2');
    await page.waitForFunction(() => document.querySelector('.tab[data-node=node2] .badge')?.textContent === 'worker', undefined, { timeout: 15_000 });
    expect(await page.textContent('.tab[data-node=node1] .badge')).toBe('leader');
    expect(await text('node1')).toMatch(/node1\s+Ready\s+Active\s+Leader/);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/workspace.png' });
  });

  it('stays responsive while a terminal floods output', async () => {
    await page.click('.tab[data-node=node3]');
    await waitForText('node3', '#');
    const started = Date.now();
    await page.keyboard.type('yes | head -c 5000000 && echo flood-$((6*7))\n');
    await waitForText('node3', 'flood-42', 120_000);
    const seconds = (Date.now() - started) / 1000;
    await page.keyboard.type('echo after-$((2+3))\n');
    await waitForText('node3', 'after-5', 10_000);
    console.log(`5 MB of short lines through the browser terminal in ${seconds.toFixed(1)} s`);
    await page.keyboard.press('Alt+Digit1');
  });

  it('finds the session again after a reload, without printing anything twice', async () => {
    const before = await text('node1');
    await page.reload();
    await page.waitForFunction(() => window.__workshop.terminalState('node1') === 'connected', undefined, { timeout: 30_000 });
    await waitForText('node1', 'Leader');
    const after = await text('node1');
    expect(after.split('docker node ls').length).toBe(before.split('docker node ls').length);
  });
});
