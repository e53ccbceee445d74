/**
 * A real headless Chromium for tests that need layout (getBoundingClientRect, SVG geometry).
 *
 * The browser comes from npm, so `npm test` needs nothing installed by hand: `@sparticuz/chromium`
 * ships a headless-shell Chromium build inside the package (brotli-compressed, unpacked into the
 * temp folder on first use) and `puppeteer-core` drives it over the DevTools protocol; neither
 * downloads anything at install or run time. `CHROMIUM_BIN` points at another Chromium instead
 * (for example Debian's `/usr/bin/chromium`).
 */
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';

let launched: Promise<Browser> | undefined;

async function launch(): Promise<Browser> {
  const own = process.env.CHROMIUM_BIN;
  const common = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-extensions', '--disable-dev-shm-usage', '--no-sandbox'];
  if (own) return puppeteer.launch({ executablePath: own, headless: true, args: common, timeout: 45_000 });
  return puppeteer.launch({ executablePath: await chromium.executablePath(), headless: 'shell', args: [...chromium.args, ...common], timeout: 45_000 });
}

/** The browser shared by one test file; closed by `closeBrowser()`. */
export function browser(): Promise<Browser> {
  launched ??= launch();
  return launched;
}

export async function closeBrowser(): Promise<void> {
  if (launched) await (await launched).close();
  launched = undefined;
}

/** Open `url` at `width`×`height` CSS px and return the text of the element `selector` once present. */
export async function textAfterLoad(url: string, selector: string, width = 1200, height = 1600): Promise<string> {
  const page = await (await browser()).newPage();
  try {
    await page.setViewport({ width, height });
    await page.goto(url, { waitUntil: 'load', timeout: 45_000 });
    return await page.$eval(selector, (e) => e.textContent ?? '');
  } finally {
    await page.close();
  }
}
