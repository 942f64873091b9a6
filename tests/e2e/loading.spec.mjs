// What the loader fetches, when, and how often.
import { expect, test } from '@playwright/test';
import { article, BANGTIN, hostPage, ready, settled, watch } from './helpers.mjs';

test('50 rating widgets on one page make exactly one request for their counts', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('many.html', { article: article('many') }));
  await expect(page.locator('bangtin-rating .panel[data-phase=ready]')).toHaveCount(50);
  // Every widget has its counts, and they all came in one request.
  expect(seen.count('/api/v1/boot')).toBe(1);
  expect(seen.count('/api/v1/ratings')).toBe(0);
  expect(seen.count('.wasm')).toBe(1);
  expect(seen.errors).toEqual([]);
});

test('a page without widgets downloads nothing but the loader', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('empty.html'));
  await settled(page);
  const fromBangtin = seen.requests.map((r) => r.url()).filter((u) => u.startsWith(BANGTIN()));
  expect(fromBangtin).toEqual([`${BANGTIN()}/bangtin.js`]);
  expect(await page.evaluate(() => typeof window.bangtin)).toBe('function');
  expect(seen.errors).toEqual([]);
});

test('the wasm is fetched only when a widget comes near the viewport', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('far.html', { article: article('far') }));
  await settled(page);
  expect(seen.count('.wasm')).toBe(0);
  expect(seen.count('/api/v1/boot')).toBe(0);
  await page.locator('#w').scrollIntoViewIfNeeded();
  await ready(page.locator('#w'));
  expect(seen.count('.wasm')).toBe(1);
});

test('the bundle is served compressed with long-lived caching, the loader with a short one', async ({ request }) => {
  const loader = await request.get(`${BANGTIN()}/bangtin.js`, { headers: { 'accept-encoding': 'br' } });
  expect(loader.headers()['cache-control']).toBe('public, max-age=300');
  expect(loader.headers()['content-encoding']).toBe('br');
  const text = await (await request.get(`${BANGTIN()}/bangtin.js`)).text();
  const wasmPath = text.match(/pkg\/bangtin\.[0-9a-f]+\.wasm/)[0];
  const wasm = await request.get(`${BANGTIN()}/${wasmPath}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(wasm.headers()['content-type']).toBe('application/wasm');
  expect(wasm.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(wasm.headers()['content-encoding']).toBe('gzip');
});
