// Debian's Chromium through playwright-core, as the browser tests use it.
// The flags keep it off this machine's closed network (see the env notes).
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The screens every page must fit: a common laptop, and a small one (or a half-screen window). */
export const SCREEN_WIDTHS = [1366, 1024] as const;

/**
 * A fresh folder (`dir`) whose path is at least `length` characters long,
 * nested as users' project folders are: inputs there must not widen any
 * page. Remove `root` when done.
 */
export function longPathDir(length = 120): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'party-perf-long-'));
  let dir = root;
  for (let i = 1; dir.length < length; i++) dir = join(dir, `results-of-the-quarterly-load-test-run-${i}`);
  mkdirSync(dir, { recursive: true });
  return { root, dir };
}

/**
 * How many pixels the page is wider than a `width`-pixel screen (<= 0: it
 * fits), after resizing the viewport; with `screenshot`, a full-page PNG of it.
 */
export async function overflowAt(page: Page, width: number, screenshot?: string): Promise<number> {
  await page.setViewportSize({ width, height: 800 });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  return overflow;
}
