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
  { colorScheme = 'light', viewport = { width: 1200, height: 900 }, bypassCSP = false, locale = 'en-US' } = {},
) {
  // the browser's language decides the page's (navigator.languages): English unless a test asks
  const page = await browser.newPage({ colorScheme, viewport, bypassCSP, locale });
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

// Every element has drawn its steps and every heatmap (in any shadow root) its screen-reader
// table, and KaTeX has rendered the formulas: what a reader meets once the page has settled.
export async function settled(page) {
  await page.waitForFunction(
    () => {
      const all = [];
      const walk = (node) =>
        node.querySelectorAll('*').forEach((el) => {
          all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        });
      walk(document);
      const hosts = all.filter((el) => el.localName === 'attention-steps' || el.localName === 'attention-playground');
      if (!hosts.every((el) => el.shadowRoot?.querySelector('.step'))) return false;
      if (all.some((el) => el.ariaBusy === 'true')) return false; // still measuring (quadratic-cost)
      if (all.some((el) => el.dataset?.tex !== undefined && !el.querySelector('.katex'))) return false;
      return all
        .filter((el) => el.localName === 'attention-heatmap')
        .every((hm) => {
          const v = hm.values,
            tds = [...hm.shadowRoot.querySelectorAll('table tbody td')]; // with the summaries
          return !v || (tds.length === v.rows * (v.cols + 1) && tds.every((td) => td.textContent !== ''));
        });
    },
    null,
    { timeout: 60000, polling: 100 },
  );
}

/**
 * Edit-to-paint, in the page (pass it to page.evaluate with [input, values, type]): each value is
 * written into `input` at the start of a frame (in requestAnimationFrame) and a `type` event
 * dispatched; a message posted there is delivered after that frame's style, layout and paint, so
 * the time between is one frame's work. The median and p90 over the values, in ms.
 */
export async function editToPaint([input, values, type]) {
  const times = [];
  for (const value of values) {
    times.push(
      await new Promise((resolve) =>
        requestAnimationFrame(() => {
          const t0 = performance.now();
          input.value = value;
          input.dispatchEvent(new Event(type, { bubbles: true }));
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - t0);
          channel.port2.postMessage(0);
        }),
      ),
    );
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}
