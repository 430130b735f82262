// The status page as a person sees it: a served controller whose store holds a release cycle, opened in
// headless Chromium at a desktop and a phone size. Screenshots are kept in test-artifacts/.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, devices, type Browser, type Page } from 'playwright-core';
import type { ServedController } from '../compose.js';
import { recordingCore, serveForTest } from '../../test/fixtures/served-controller.js';
import { CLONE_URL, fillReleaseCycle, HOSTILE_REASON } from '../../test/fixtures/status-store.js';

/** Where the screenshots are kept (gitignored). */
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-quic',
  '--disable-component-update',
  '--disable-sync',
];
const web = CLONE_URL.replace(/\.git$/, '');

let server: ServedController;
let browser: Browser;

beforeAll(async () => {
  // no webhook is sent here: the page reads only the store
  server = await serveForTest(pino({ level: 'silent' }), recordingCore().core);
  await fillReleaseCycle(server.runtime.store);
  // playwright starts Chromium with a fresh temporary profile (--user-data-dir) of its own
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The visible text of each cell of a section's table body, row by row. */
const cells = (page: Page, section: string) =>
  page
    .locator(`#${section} tbody tr`)
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.innerText.trim())));

async function open(options: Parameters<Browser['newPage']>[0]): Promise<{ page: Page; dialogs: string[]; status: number }> {
  const page = await browser.newPage(options);
  const dialogs: string[] = [];
  page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  const response = await page.goto(server.url, { waitUntil: 'load' });
  return { page, dialogs, status: response?.status() ?? 0 };
}

describe('the status page in Chromium', () => {
  test('GIVEN a release cycle WHEN opened on a desktop THEN the tables show environments, the pending promotion, locks and runs, with links to GitHub', async () => {
    const { page, dialogs, status } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      expect(status).toBe(200);
      expect(await page.title()).toBe('gitops release controller');
      // in the order of the environment files in environments/
      expect(await cells(page, 'environments')).toEqual([
        ['dev', 'dev', 'bbbbbbb', expect.stringMatching(/UTC$/), '#11', 'alice', 'dana', 'gitops/apply/dev'],
        ['prod', 'main', 'eeeeeee', expect.stringMatching(/UTC$/), '#13', 'bob', 'priya', 'gitops/apply/prod'],
        ['uat', 'uat', '1111111', expect.stringMatching(/UTC$/), '#14', 'carol', 'ursula', 'gitops/apply/uat'],
      ]);
      expect(await page.locator('#environments a', { hasText: '#13' }).getAttribute('href')).toBe(`${web}/pull/13`);
      expect(await page.locator('#environments a', { hasText: 'gitops/apply/prod' }).getAttribute('href')).toBe(`${web}/runs/1310`);
      expect((await cells(page, 'promotions'))[0]).toEqual([
        'uat → prod',
        expect.stringMatching(/^1111111 #14 release\/2026\.13 \(.* UTC\)$/),
      ]);
      expect((await cells(page, 'locks')).map((row) => row.slice(1, 5))).toEqual([
        ['prod', 'held', 'acme/infra#16', '#16'],
        ['prod', 'waiting', 'acme/infra#17', '#17'],
      ]);
      const runs = await cells(page, 'runs');
      expect(runs[0]!.slice(0, 6)).toEqual(['apply', 'acme/infra', 'dev', '#15', '3333333', 'failed']);
      expect(runs[0]!.at(-1)).toBe(HOSTILE_REASON);
      expect(await page.locator('#runs a', { hasText: 'gitops/plan/uat' }).first().getAttribute('href')).toBe(`${web}/runs/1401`);
      expect((await cells(page, 'stack-runs')).map((row) => [row[2], row[4]])).toEqual([
        ['release-prod', 'succeeded'],
        ['network-prod', 'succeeded'],
      ]);
      // the reason's markup stayed text: no element was made of it and no script ran
      expect([await page.locator('img').count(), dialogs]).toEqual([0, []]);
      await page.screenshot({ path: join(ARTIFACTS, 'status-page-desktop.png'), fullPage: true });
      expect(statSync(join(ARTIFACTS, 'status-page-desktop.png')).size).toBeGreaterThan(10_000);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('GIVEN the same page WHEN opened on a phone THEN each row is a card of labelled cells and nothing is wider than the screen', async () => {
    const { page, status } = await open({ ...devices['Pixel 7'] });
    try {
      expect(status).toBe(200);
      // evaluated in the page (a string: the test is compiled without the DOM's types)
      const layout = (await page.evaluate(`({
        viewport: window.innerWidth,
        widest: document.documentElement.scrollWidth,
        cell: getComputedStyle(document.querySelector('#environments td')).display,
        header: document.querySelector('#environments thead').getBoundingClientRect().right,
        label: getComputedStyle(document.querySelector('#environments td'), '::before').content,
      })`)) as { header: number };
      expect(layout).toEqual({ viewport: 412, widest: 412, cell: 'flex', header: expect.any(Number), label: '"environment"' });
      expect(layout.header).toBeLessThanOrEqual(0);
      expect(await page.locator('#environments a', { hasText: '#14' }).isVisible()).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'status-page-phone.png'), fullPage: true });
      expect(statSync(join(ARTIFACTS, 'status-page-phone.png')).size).toBeGreaterThan(10_000);
    } finally {
      await page.close();
    }
  }, 60_000);

  test('GIVEN the page WHEN fetched THEN it is HTML that runs no script and is not cached', async () => {
    const res = await fetch(server.url);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).not.toContain('<script');
  });
});
