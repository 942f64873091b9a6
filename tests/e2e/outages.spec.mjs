// Outages, seen from the page: the API down, slow or answering garbage; votes cast offline.
// The widget keeps the page's fallback (or says what happened to a vote, in the reader's
// language), tries again with backoff, recovers by itself, and nothing escapes to the page.
import { expect, test } from '@playwright/test';
import { article, BANGTIN, hostPage, ready, serverSummary, watch } from './helpers.mjs';
import { startFlakyApi } from './servers.mjs';
import { widgets } from './widgets.mjs';

const rating = widgets.find((w) => w.kind === 'rating');
const b64 = (text) => Buffer.from(text).toString('base64url');

/** The outage page with widget `w` for `key`, talking to the flaky API. */
const outagePage = (w, key) => hostPage('outage.html', { article: key, api: api.url, body: b64(w.html('w', key)) });

let api;

/** Moves the page's faked clock on, a second at a time, until widget `w` shows its data
 * (however late the widget set its timer, this one waits for it). */
async function untilReady(page, w = rating) {
  await expect.poll(async () => {
    await page.clock.runFor(1_000);
    return page.locator('#w').locator(w.shown).count();
  }, { timeout: 20_000 }).toBeGreaterThan(0);
}

test.beforeEach(async () => { api = await startFlakyApi(BANGTIN()); });
test.afterEach(async () => { await api.stop(); });

for (const w of widgets.filter((w) => w.shown)) for (const mode of ['down', 'html', 'truncated', '500', '503']) {
  test(`${w.kind}: an API that is ${mode}: the fallback stays, one message, and the widget recovers by itself`, async ({ page }) => {
    await page.clock.install();
    const seen = watch(page);
    api.mode = mode;
    await page.goto(outagePage(w, article(`outage-${w.kind}-${mode}`)));
    await expect.poll(() => api.hits['/api/v1/boot'] || 0).toBeGreaterThanOrEqual(2); // the loader's, then the widget's own
    await expect.poll(() => seen.bangtin.length).toBe(1);
    expect(seen.bangtin[0]).toBe(`[bangtin] cannot load from ${api.url}; trying again`);
    await expect(page.locator('#w .fallback')).toBeVisible();
    const before = api.hits['/api/v1/boot'];
    await page.clock.runFor(3_000); // the first pause: 2 s, a little more with jitter or Retry-After
    await expect.poll(() => api.hits['/api/v1/boot']).toBeGreaterThan(before); // tried again…
    expect(seen.bangtin).toHaveLength(1); // …quietly
    api.mode = 'ok';
    await untilReady(page, w); // within the next pause
    await w.works(page.locator('#w'));
    expect(seen.errors).toEqual([]);
  });
}

test('an API that does not answer for 10 s is given up on, then tried again', async ({ page }) => {
  await page.clock.install();
  const seen = watch(page);
  api.mode = 'slow';
  await page.goto(outagePage(rating, article('outage-slow')));
  await expect.poll(() => api.held.length).toBe(1); // the loader's boot request hangs…
  await expect(page.locator('#w .panel')).toHaveAttribute('data-phase', 'loading'); // mounted
  await page.clock.runFor(10_500); // …the widget stops waiting for it and asks itself…
  await expect.poll(() => api.held.length).toBe(2);
  await page.clock.runFor(10_500); // …and gives up on that too, saying so once
  await expect.poll(() => seen.bangtin.length).toBe(1);
  await expect(page.locator('#w .fallback')).toBeVisible();
  api.mode = 'ok';
  await untilReady(page);
  expect(seen.errors).toEqual([]);
});

test('while the API is down, the page itself goes on (its timers tick, nothing escapes)', async ({ page }) => {
  const seen = watch(page);
  api.mode = 'down';
  await page.goto(outagePage(rating, article('outage-ticks')));
  await expect.poll(() => seen.bangtin.length).toBe(1);
  const ticks = await page.evaluate(() => window.ticks);
  await expect.poll(() => page.evaluate(() => window.ticks)).toBeGreaterThan(ticks + 5);
  api.mode = 'ok';
  await ready(page.locator('#w')); // after the real 2 s pause
  await page.locator('#w').getByRole('radio', { name: '3 sao' }).click();
  await expect(page.locator('#w').getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  expect(seen.errors).toEqual([]);
});

test('a vote cast without a connection waits, is shown as waiting, and is sent once when it returns — with two tabs open', async ({ context, request }) => {
  const key = article('offline');
  const url = outagePage(rating, key);
  const one = await context.newPage();
  const two = await context.newPage();
  const seen = [watch(one), watch(two)];
  await one.goto(url);
  await two.goto(url);
  await ready(one.locator('#w'));
  await ready(two.locator('#w'));
  await context.setOffline(true);
  const widget = one.locator('#w');
  await widget.getByRole('radio', { name: '4 sao' }).click();
  await expect(widget.getByRole('status')).toHaveText('Chưa kết nối được máy chủ: bình chọn của bạn sẽ gửi khi có mạng.');
  await expect(widget.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
  await expect(widget.locator('.summary')).toHaveText('Chưa có lượt bình chọn nào'); // not counted yet
  expect(await one.evaluate(() => JSON.parse(localStorage.getItem('bangtin:outbox')).length)).toBe(1);
  const before = api.hits['/api/v1/votes'] || 0;
  await context.setOffline(false); // both tabs hear `online`
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await expect(widget.locator('.summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
  await expect.poll(() => one.evaluate(() => localStorage.getItem('bangtin:outbox'))).toBeNull();
  expect((api.hits['/api/v1/votes'] || 0) - before).toBe(1); // sent once, by one of the tabs
  expect(await serverSummary(request, key)).toMatchObject({ count: 1, sum: 4 });
  for (const s of seen) expect(s.errors).toEqual([]);
});

test('a vote left waiting when the page was closed is sent on the next visit', async ({ context, request }) => {
  const key = article('offline-later');
  const url = outagePage(rating, key);
  const page = await context.newPage();
  await page.goto(url);
  await ready(page.locator('#w'));
  await context.setOffline(true);
  await page.locator('#w').getByRole('radio', { name: '2 sao' }).click();
  await expect(page.locator('#w').getByRole('status')).toHaveText(/sẽ gửi khi có mạng/);
  api.mode = 'down'; // and the server is away for the rest of the visit
  await context.setOffline(false);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('bangtin:outbox'))).not.toBeNull();
  await page.close();
  api.mode = 'ok';
  const next = await context.newPage();
  const seen = watch(next);
  await next.goto(url);
  await expect(next.locator('#w').getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await expect(next.locator('#w .summary')).toHaveText('2,0/5 · 1 lượt bình chọn');
  expect(await serverSummary(request, key)).toMatchObject({ count: 1, sum: 2 });
  expect(seen.errors).toEqual([]);
});
