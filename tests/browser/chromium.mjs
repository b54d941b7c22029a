// Shared set-up for browser tests: Debian's Chromium driven by playwright-core (never a downloaded
// browser), the project's server on a free port, and a page that records console errors, page
// errors, CSP violations and every request that leaves the server's origin.
import { chromium } from 'playwright-core';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';
import { startServer } from '../../scripts/serve.mjs';

// Without the networking flags Chromium keeps trying to reach the internet from a closed network.
// (The browser bench launches Chromium with these too: bench/browser/run.mjs.)
export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const outputDir = path.join(root, 'test-output');

export async function launch() {
  const { server, url } = await startServer({ port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A new page whose problems are collected in `problems` (console errors, page errors, CSP, off-origin requests). */
export async function openPage(
  browser,
  origin,
  { colorScheme = 'light', viewport = { width: 1200, height: 900 }, bypassCSP = false } = {},
) {
  const page = await browser.newPage({ colorScheme, viewport, bypassCSP });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) problems.push(`request left ${origin}: ${r.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, problems };
}

/** A new folder with dist/ copied into it (and the site's icon, so the browser's favicon request is met). */
export function siteWithDist(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
  copyFileSync(path.join(root, 'web/favicon.svg'), path.join(dir, 'favicon.ico'));
  return dir;
}

export function screenshotPath(name) {
  mkdirSync(outputDir, { recursive: true });
  return path.join(outputDir, `${name}.png`);
}

/**
 * A full-page screenshot with every step drawn: steps use content-visibility: auto and catch up on
 * their numbers when scrolled into view, so scroll through the page first.
 */
export async function fullScreenshot(page, name) {
  await page.evaluate(async () => {
    const step = Math.max(200, innerHeight - 100);
    for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
      scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    scrollTo(0, 0);
  });
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}
