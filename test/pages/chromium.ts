import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Debian's Chromium (DOORMAN_TEST_CHROMIUM=/usr/bin/chromium); the browser tests skip without it. */
export const CHROMIUM = process.env.DOORMAN_TEST_CHROMIUM;

const ROOT = resolve(import.meta.dirname, '../..');
/** Screenshots of every page (git-ignored). */
export const SHOTS = resolve(ROOT, 'test-results/pages');

export type Browser = import('playwright-core').Browser;
export type Page = import('playwright-core').Page;

/**
 * Builds the page script and the client it imports (as `npm run build` makes them), then starts
 * Chromium from a fresh temporary profile, with the flags this machine needs (no sandbox as
 * root, no background networking on a closed network). Never a downloaded browser.
 */
export async function launchChromium(): Promise<Browser> {
  execFileSync(resolve(ROOT, 'node_modules/.bin/tsc'), ['-p', resolve(ROOT, 'tsconfig.pages.json')], {
    stdio: 'inherit',
  });
  mkdirSync(SHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A person with a browser of their own (a new context: own cookies), speaking Korean. Script
 * errors and CSP violations on any page go to `problems`, which each test expects empty.
 */
export async function person(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror on ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx fetch as "Failed to load resource": the pages expect those
    // (a 401 before a refresh, a wrong password); script errors and CSP reports are the rest.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console on ${page.url()}: ${message.text()}`);
  });
  // Runs in the page (a string: this project's types have no DOM).
  await page.addInitScript(`document.addEventListener('securitypolicyviolation',
    (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));`);
  return page;
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });

/** The mypage greeting. */
export const greeting = (page: Page) => page.locator('#greeting');
