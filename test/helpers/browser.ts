// Debian's Chromium through playwright-core, as the browser tests use it.
// The flags keep it off this machine's closed network (see the env notes).
import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** `false`, or why the browser tests are skipped (a visible reason, never silent). */
export const browserSkip: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;

/** A headless Chromium with its own profile folder (Playwright's --user-data-dir). */
export async function launchChromium(profileDir: string, viewport = { width: 1366, height: 768 }): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A page showing `html` with every network request blocked and recorded: a self-contained page makes none. */
export async function openOffline(ctx: BrowserContext, html: string): Promise<{ page: Page; requests: string[] }> {
  const page = await ctx.newPage();
  const requests: string[] = [];
  await page.route('**/*', (r) => { requests.push(r.request().url()); return r.abort(); });
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests };
}
