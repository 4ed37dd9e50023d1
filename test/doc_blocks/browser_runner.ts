// Runs an `html` block in Chromium (docs/contributing.md): the block is written into its page's
// folder, which scripts/demo-server.mjs serves cross-origin isolated at /doc/ beside /dist/ (so
// `../dist/index.js` in the page is the built package), and the page's text must become its
// output block.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { normalizeOutput, type Block } from './blocks.js';

export const HTML_LIMIT_MS = 15000;

interface DemoServer { url: string; close(): Promise<void> }
type Start = (o: { isolated: boolean; mounts: Record<string, string> }) => Promise<DemoServer>;
const serverModule = new URL('../../../scripts/demo-server.mjs', import.meta.url).href;

export interface PageResult { text: string; errors: string[] }

/** Opens the block as /doc/page-<line>.html and waits (up to HTML_LIMIT_MS) for `expected` text. */
export async function runHtml(block: Block, folder: string, browser: Browser, expected: string): Promise<PageResult> {
  const name = `page-${block.line}.html`;
  writeFileSync(join(folder, name), block.body);
  const { startDemoServer } = await import(serverModule) as { startDemoServer: Start };
  const server = await startDemoServer({ isolated: true, mounts: { '/doc/': folder } });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  try {
    await page.goto(new URL(`/doc/${name}`, server.url).href);
    const text = async (): Promise<string> => normalizeOutput(await page.evaluate(() => document.body?.innerText ?? ''));
    const end = Date.now() + HTML_LIMIT_MS;
    let seen = await text();
    while (seen !== expected && errors.length === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await text();
    }
    return { text: seen, errors };
  } finally {
    await page.close();
    await server.close();
  }
}
