// Issue 6: the first data does not wait for the code. After the loader, the glue, the wasm and
// the boot request start together (two round trips after the page's HTML, not four), and no
// request is ever made twice.
import { expect, test } from '@playwright/test';
import { article, BANGTIN, hostPage, ready, watch } from './helpers.mjs';

test('the first data request starts before the code has arrived, and nothing is asked twice', async ({ page }) => {
  const seen = watch(page);
  const events = [];
  page.on('request', (r) => events.push(['start', new URL(r.url()).pathname]));
  page.on('requestfinished', (r) => events.push(['end', new URL(r.url()).pathname]));
  // The code is held back until the data has arrived, as on a cheap phone's network where the
  // big files come last. A loader that asked for the data only after the code would leave the
  // code held for the whole 5 s (and fail below); a fixed delay instead would make this test's
  // outcome depend on how fast a busy machine answers the boot request.
  let bootArrived;
  const arrived = new Promise((done) => (bootArrived = done));
  page.on('requestfinished', (r) => new URL(r.url()).pathname === '/api/v1/boot' && bootArrived());
  const held = (route) => Promise.race([arrived, new Promise((t) => setTimeout(t, 5000))]).then(() => route.continue());
  await page.route('**/pkg/*', held);
  await page.goto(hostPage('rating.html', { article: article('parallel') }));
  await ready(page.locator('#w'));
  const at = (kind, pred) => events.findIndex(([k, p]) => k === kind && pred(p));
  const glue = (p) => /^\/pkg\/bangtin\.[0-9a-f]{12}\.js$/.test(p);
  const wasm = (p) => p.endsWith('.wasm');
  const boot = (p) => p === '/api/v1/boot';
  const loaderEnd = at('end', (p) => p === '/bangtin.js');
  const firstCodeEnd = Math.min(at('end', glue), at('end', wasm));
  for (const which of [glue, wasm, boot]) {
    const started = at('start', which);
    expect(started).toBeGreaterThan(loaderEnd); // the loader asks for them all…
    expect(started).toBeLessThan(firstCodeEnd); // …before any of the code has arrived
  }
  expect(at('end', boot)).toBeLessThan(firstCodeEnd); // the data arrived while the code was held
  const fromBangtin = seen.requests.map((r) => r.url()).filter((u) => u.startsWith(BANGTIN()));
  expect(fromBangtin.length).toBe(4); // loader, glue, wasm, boot
  expect(new Set(fromBangtin).size).toBe(fromBangtin.length);
  expect(seen.errors).toEqual([]);
});
