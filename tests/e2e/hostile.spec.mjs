// Hostile host pages, served from a second origin: every widget (widgets.mjs) keeps working, or
// fails cleanly — its fallback content and one [bangtin] console message — on pages with
// aggressive CSS, the strictest CSP, a CSP without WebAssembly, a wrapped fetch, frozen
// intrinsics, the loader twice or late or early, placeholders added long after load, and a
// sandboxed frame where storage throws. Nothing ever escapes to the page.
import { expect, test } from '@playwright/test';
import { article, BANGTIN, HOST, watch } from './helpers.mjs';
import { widgets } from './widgets.mjs';

const b64 = (text) => Buffer.from(text).toString('base64url');
const loader = () => `<script src="${BANGTIN()}/bangtin.js" async></script>`;

/** A hostile page: its head and body markup and its CSP (see servers.mjs). */
function hostile({ head = '', body, csp = 'careful' }) {
  const url = new URL(`${HOST()}/hostile.html`);
  url.searchParams.set('head', b64(head));
  url.searchParams.set('body', b64(body));
  url.searchParams.set('csp', csp);
  return url.href;
}

/** Exactly one [bangtin] message, and it says `what`. */
async function oneMessage(seen, what) {
  await expect.poll(() => seen.bangtin.length).toBeGreaterThan(0);
  expect(seen.bangtin).toHaveLength(1);
  expect(seen.bangtin[0]).toContain(what);
}

for (const w of widgets) {
  test.describe(`${w.kind} on hostile pages`, () => {
    test('aggressive global CSS (all: unset, hidden buttons, a 40 px root font) does not reach it', async ({ page }) => {
      const seen = watch(page);
      await page.goto(hostile({ head: `<link rel="stylesheet" href="/hostile.css">${loader()}`, body: w.html('w', article(`css-${w.kind}`)) }));
      await w.works(page.locator('#w'));
      expect(seen.errors).toEqual([]);
    });

    test('the strictest CSP that allows wasm: it works and nothing is reported', async ({ page }) => {
      const seen = watch(page);
      await page.goto(hostile({ head: loader(), body: w.html('w', article(`csp-${w.kind}`)), csp: 'strictest' }));
      await w.works(page.locator('#w'));
      expect(await page.evaluate(() => window.violations)).toEqual([]);
      expect(seen.csp).toEqual([]);
      expect(seen.errors).toEqual([]);
    });

    test('a CSP without wasm-unsafe-eval: the fallback stays and one message says what to add', async ({ page }) => {
      const seen = watch(page);
      await page.goto(hostile({ head: loader(), body: w.html('w', article(`nowasm-${w.kind}`)), csp: 'nowasm' }));
      await oneMessage(seen, "must allow 'wasm-unsafe-eval' in script-src");
      await expect(page.locator('#w .fallback')).toBeVisible();
      expect(seen.errors).toEqual([]);
    });

    test('a page that wraps window.fetch', async ({ page }) => {
      const seen = watch(page);
      await page.goto(hostile({ head: `<script src="/wrap-fetch.js"></script>${loader()}`, body: w.html('w', article(`fetch-${w.kind}`)) }));
      await w.works(page.locator('#w'));
      expect(await page.evaluate(() => window.fetchCalls)).toBeGreaterThan(0); // it went through the wrapper
      expect(seen.errors).toEqual([]);
    });

    test('a page that has frozen the JavaScript intrinsics', async ({ page }) => {
      const seen = watch(page);
      await page.goto(hostile({ head: `<script src="/freeze.js"></script>${loader()}`, body: w.html('w', article(`frozen-${w.kind}`)) }));
      expect(await page.evaluate(() => Object.isFrozen(Object.prototype) && Object.isFrozen(Promise.prototype))).toBe(true);
      await w.works(page.locator('#w'));
      expect(seen.errors).toEqual([]);
    });

    test('the loader included twice, once before the widgets and once after', async ({ page }) => {
      const seen = watch(page);
      await page.goto(hostile({ head: loader(), body: w.html('w', article(`twice-${w.kind}`)) + loader() }));
      await w.works(page.locator('#w'));
      expect(await page.locator('script[src$="/bangtin.js"]').count()).toBe(2);
      expect(seen.count('.wasm')).toBe(1); // the code came once
      expect(seen.count('/api/v1/boot')).toBe(1);
      expect(seen.errors).toEqual([]);
    });

    test('the loader after the widgets, and placeholders added long after load', async ({ page }) => {
      const seen = watch(page);
      const key = article(`late-${w.kind}`);
      await page.goto(hostile({ head: '<script src="/late.js"></script>', body: w.html('w', key) + loader() }));
      await w.works(page.locator('#w'));
      await page.waitForLoadState('load');
      await page.evaluate((html) => window.addLate(html), w.placeholder('late', `${key}-later`));
      await w.works(page.locator('#late'));
      expect(seen.errors).toEqual([]);
    });

    test('a sandboxed frame without allow-same-origin (storage throws): a clean failure', async ({ page }) => {
      const seen = watch(page);
      const url = new URL(`${HOST()}/sandbox.html`);
      url.searchParams.set('head', b64(loader()));
      url.searchParams.set('body', b64(w.html('w', article(`sandbox-${w.kind}`))));
      const frameMessages = [];
      page.on('console', (m) => m.text().startsWith('[bangtin]') && frameMessages.push(m.text()));
      await page.goto(url.href);
      const frame = page.frameLocator('#frame');
      // A widget that needs no data from the server says what it does instead.
      if (w.sandboxed) {
        await w.sandboxed(frame, frameMessages);
        expect(seen.errors).toEqual([]);
        return;
      }
      // Its origin is opaque, so the API answers it no CORS: the fallback stays, said once.
      await expect.poll(() => frameMessages.length).toBeGreaterThan(0);
      await expect(frame.locator('#w .fallback')).toBeVisible();
      expect(frameMessages).toHaveLength(1);
      expect(frameMessages[0]).toContain('cannot load from');
      expect(seen.errors).toEqual([]);
    });
  });
}
