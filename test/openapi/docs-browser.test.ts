import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { testApp, type TestApp } from '../helpers.js';

const CHROMIUM = process.env.DOORMAN_TEST_CHROMIUM;
if (!CHROMIUM)
  console.warn('test/openapi/docs-browser.test.ts: skipped, DOORMAN_TEST_CHROMIUM is not set (e.g. /usr/bin/chromium)');

/** The /docs page in a real Chromium, under its CSP: it renders the API, breaks no policy, throws nothing. */
describe.skipIf(!CHROMIUM)('/docs in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await testApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('renders every tag under the strict CSP with no violation, no script error and no request off this server', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const elsewhere: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('request', (request) => {
        if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) elsewhere.push(request.url());
      });
      // Runs in the page (a string: this project's types have no DOM).
      await page.addInitScript(`document.addEventListener('securitypolicyviolation',
        (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));`);
      await page.goto(`${baseUrl}/docs/`);
      await page.waitForSelector('.opblock-tag', { timeout: 15_000 });
      const tags = await page.locator('.opblock-tag').allInnerTexts();
      expect(tags.map((tag) => tag.split('\n')[0]!.trim())).toEqual([
        'account',
        'token',
        'admin',
        'keys',
        'operations',
        'social',
      ]);
      expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(30);
      expect(problems).toEqual([]);
      expect(elsewhere).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
