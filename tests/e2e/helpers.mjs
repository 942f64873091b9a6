// Shared helpers for the end-to-end tests.
import { expect } from '@playwright/test';

export const BANGTIN = () => process.env.BANGTIN_URL;
export const HOST = () => process.env.HOST_URL;
export const OTHER_HOST = () => process.env.OTHER_HOST_URL;

/** A fresh article key, so tests never share ratings. */
export function article(prefix) {
  return `e2e/${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A host page URL with query parameters. */
export function hostPage(name, params = {}, origin = HOST()) {
  const url = new URL(`${origin}/${name}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/** Records what the page does that a reader or site owner would care about. */
export function watch(page) {
  const seen = { errors: [], bangtin: [], csp: [], requests: [] };
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bangtin]')) seen.bangtin.push(text.trim());
    if (/Content Security Policy/i.test(text)) seen.csp.push(text);
  });
  page.on('request', (r) => seen.requests.push(r));
  seen.count = (fragment, method) =>
    seen.requests.filter((r) => r.url().includes(fragment) && (!method || r.method() === method)).length;
  return seen;
}

/** The counts the server holds for one rating (`GET /api/v1/ratings`, no Origin header). */
export async function serverSummary(request, article, scale = 'stars', base = BANGTIN()) {
  const item = `${scale}:${article}`;
  const res = await request.get(`${base}/api/v1/ratings?${new URLSearchParams({ item })}`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  return body.ratings[item];
}

/** Waits until the widget in `locator` has its summary. */
export async function ready(widget) {
  await expect(widget.locator('.panel[data-phase=ready]')).toHaveCount(1);
}

/**
 * Resolves once the loader has run and the browser has delivered the IntersectionObserver's
 * first notifications (they follow a rendering update: two animation frames, then a task).
 * Waiting on these events, not on a fixed time, is what tells that nothing else will happen.
 */
export async function settled(page) {
  await page.waitForFunction(() => window.bangtin?.loaded);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done)))));
}
