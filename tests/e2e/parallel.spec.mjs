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
  // Slow code, as on a cheap phone's network: the data must not queue behind it.
  const slow = (route) => new Promise((go) => setTimeout(() => go(route.continue()), 400));
  await page.route('**/pkg/*', slow);
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
  expect(at('end', boot)).toBeLessThan(firstCodeEnd); // the data even arrives first here
  const fromBangtin = seen.requests.map((r) => r.url()).filter((u) => u.startsWith(BANGTIN()));
  expect(fromBangtin.length).toBe(4); // loader, glue, wasm, boot
  expect(new Set(fromBangtin).size).toBe(fromBangtin.length);
  expect(seen.errors).toEqual([]);
});
