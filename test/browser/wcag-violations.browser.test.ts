import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { wcagViolations } from '../support/wcag-violations.js';

// The browser suites' accessibility check (test/support/wcag-violations.ts) runs axe in the page itself:
// it still finds what is wrong, in the page and in its same-origin frames, and refuses a page it could
// only half check. Pages are served by Playwright's router: no server, no network.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const PAGES: Record<string, string> = {
  'http://site.test/': '<!doctype html><html lang="it"><head><title>Pagina</title></head><body><main><h1>Pagina</h1><img src="/x.png"></main></body></html>',
  'http://site.test/framed': '<!doctype html><html lang="it"><head><title>Cornice</title></head><body><main><h1>Cornice</h1><iframe title="dentro" src="/inner"></iframe></main></body></html>',
  'http://site.test/inner': '<!doctype html><html lang="it"><head><title>Dentro</title></head><body><button></button></body></html>',
  'http://site.test/foreign': '<!doctype html><html lang="it"><head><title>Altro sito</title></head><body><main><h1>Altro</h1><iframe title="fuori" src="http://other.test/"></iframe></main></body></html>',
  'http://other.test/': '<!doctype html><html lang="en"><head><title>Other</title></head><body><main>other</main></body></html>',
};

async function open(url: string): Promise<Page> {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const body = PAGES[route.request().url()];
    return body === undefined ? route.fulfill({ status: 404, body: '' }) : route.fulfill({ contentType: 'text/html', body });
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

test('a violation in the page is reported with its rule and element', async () => {
  const page = await open('http://site.test/');
  try {
    expect(await wcagViolations(page)).toEqual([expect.stringMatching(/^image-alt \(critical\): img$/)]);
  } finally {
    await page.context().close();
  }
}, 60_000);

test('a violation inside a same-origin frame is reported too', async () => {
  const page = await open('http://site.test/framed');
  try {
    await page.frameLocator('iframe').locator('button').waitFor({ state: 'attached' });
    expect(await wcagViolations(page)).toEqual([expect.stringMatching(/^button-name \(critical\): iframe button$/)]);
  } finally {
    await page.context().close();
  }
}, 60_000);

test('a page with a frame from another origin is refused, not half checked', async () => {
  const page = await open('http://site.test/foreign');
  try {
    await page.frameLocator('iframe').locator('main').waitFor({ state: 'attached' });
    await expect(wcagViolations(page)).rejects.toThrow(/other\.test/);
  } finally {
    await page.context().close();
  }
}, 60_000);
