/**
 * Re-take docs/report-screenshot.png: the HTML report of the seed scenario (`llmcache simulate`
 * with its defaults), loaded in the headless Chromium the tests use (test/browser-helper.ts) at
 * 1200×1600 CSS px, the top of the page.
 *
 * Usage: node --import tsx scripts/report-screenshot.ts [OUT.png]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultScenario } from '../src/config.js';
import { renderResult } from '../src/report/render.js';
import { simulate } from '../src/sim/engine.js';
import { browser, closeBrowser } from '../test/browser-helper.js';

const out = process.argv[2] ?? 'docs/report-screenshot.png';
const dir = mkdtempSync(join(tmpdir(), 'llmcache-screenshot-'));
try {
  const html = join(dir, 'report.html');
  writeFileSync(html, renderResult(simulate(defaultScenario()), 'html'));
  const page = await (await browser()).newPage();
  await page.setViewport({ width: 1200, height: 1600 });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  await page.screenshot({ path: out as `${string}.png` });
  await page.close();
  console.error(`wrote ${out}`);
} finally {
  await closeBrowser();
  rmSync(dir, { recursive: true, force: true });
}
