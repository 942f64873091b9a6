// The rating widget on the demo page and embedded in a newspaper on another origin.
import { expect, test } from '@playwright/test';
import { article, BANGTIN, hostPage, OTHER_HOST, ready, serverSummary, watch } from './helpers.mjs';

// The demo article starts with no votes because global-setup gives every run a fresh database.
test('demo page: readers see, cast, change and keep their votes', async ({ page, browser }) => {
  const seen = watch(page);
  await page.goto(`${BANGTIN()}/`);
  const widget = page.locator('bangtin-rating');
  const summary = widget.locator('.summary');
  // The ticker at the top of the page brings the code at once (lazy loading itself:
  // loading.spec.mjs); the rating under the article gets its counts in the same boot request.
  await expect(widget.locator('.fallback')).toBeAttached();
  await expect(page.locator('bangtin-ticker .view li').first()).toBeVisible();
  await widget.scrollIntoViewIfNeeded();
  await expect(summary).toHaveText('Chưa có lượt bình chọn nào');
  expect(seen.count('/api/v1/boot')).toBe(1);
  expect(seen.count('.wasm')).toBe(1);

  await widget.getByRole('radio', { name: '4 sao' }).click();
  await expect(summary).toHaveText('4,0/5 · 1 lượt bình chọn');
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');

  await widget.getByRole('radio', { name: '2 sao' }).click();
  await expect(summary).toHaveText('2,0/5 · 1 lượt bình chọn');
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.'); // confirmed

  await page.reload();
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.getByRole('radio', { name: '2 sao' })).toHaveAttribute('aria-checked', 'true');
  await expect(widget.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'false');
  await expect(summary).toHaveText('2,0/5 · 1 lượt bình chọn');

  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(`${BANGTIN()}/`);
  const widget2 = second.locator('bangtin-rating');
  await widget2.scrollIntoViewIfNeeded();
  await expect(widget2.locator('.summary')).toHaveText('2,0/5 · 1 lượt bình chọn');
  await expect(widget2.getByRole('radio', { name: '2 sao' })).toHaveAttribute('aria-checked', 'false');
  await widget2.getByRole('radio', { name: '5 sao' }).click();
  await expect(widget2.locator('.summary')).toHaveText('3,5/5 · 2 lượt bình chọn');
  await expect(widget2.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await other.close();

  expect(seen.errors).toEqual([]);
  expect(seen.csp).toEqual([]);
  expect(seen.bangtin).toEqual([]);
});

test('embedded in a newspaper on an allowed origin, under its strict CSP, readers vote', async ({ page, request }) => {
  const seen = watch(page);
  const key = article('embed');
  await page.goto(hostPage('rating.html', { article: key, scale: 'thumbs', lang: 'en' }));
  const widget = page.locator('#w');
  await ready(widget);
  await expect(widget.locator('.summary')).toHaveText('No votes yet');
  await widget.getByRole('radio', { name: 'Like', exact: true }).click();
  await expect(widget.locator('.summary')).toHaveText('1 up · 0 down'); // shown at once
  await expect(widget.getByRole('status')).toHaveText('Thank you, your vote was recorded.'); // confirmed
  expect(await serverSummary(request, key, 'thumbs')).toMatchObject({ count: 1, sum: 1 });
  expect(seen.errors).toEqual([]);
  expect(seen.csp).toEqual([]);
});

test('a newspaper origin that is not allowed cannot vote', async ({ page, request }) => {
  const seen = watch(page);
  const key = article('foreign');
  await page.goto(hostPage('rating.html', { article: key }, OTHER_HOST()));
  // The bundle is public, but the API answers no CORS to this origin: the fallback stays.
  await expect.poll(() => seen.bangtin.length).toBeGreaterThan(0);
  await expect(page.locator('#w .fallback')).toBeVisible();
  const fromPage = await page.evaluate(async ([base, key]) => {
    const body = JSON.stringify({ article: key, scale: 'stars', value: 5, reader: '0123456789abcdef0123456789abcdef' });
    try {
      await fetch(`${base}/api/v1/votes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return 'cors-ok';
    } catch (e) {
      return 'cors-refused';
    }
  }, [BANGTIN(), key]);
  expect(fromPage).toBe('cors-refused');
  // A forged request that skips CORS, with a body the API would otherwise take, is refused
  // by the origin check itself (without it, this vote would count).
  const forged = await request.post(`${BANGTIN()}/api/v1/votes`, {
    headers: { origin: OTHER_HOST(), 'content-type': 'application/json' },
    data: { article: key, scale: 'stars', value: 5, reader: '0123456789abcdef0123456789abcdef' },
  });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.code).toBe('origin_not_allowed');
  expect(await serverSummary(request, key)).toMatchObject({ count: 0, sum: 0 });
  expect(seen.errors).toEqual([]);
});

test('an invalid option logs one named message and the widget still works', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('rating.html', { article: article('option'), scale: 'stras' }));
  const widget = page.locator('#w');
  await ready(widget);
  expect(seen.bangtin).toEqual(['[bangtin] rating: scale must be "stars" or "thumbs", got "stras"']);
  await expect(widget.getByRole('radio')).toHaveCount(5);
  await widget.getByRole('radio', { name: '3 sao' }).click();
  await expect(widget.locator('.summary')).toHaveText('3,0/5 · 1 lượt bình chọn');
  expect(seen.errors).toEqual([]);
});

test('quick successive votes reach the server in the reader\'s order', async ({ page, request }) => {
  const key = article('quick');
  await page.goto(hostPage('rating.html', { article: key }));
  const widget = page.locator('#w');
  await ready(widget);
  for (const name of ['5 sao', '1 sao', '4 sao', '2 sao']) {
    await widget.getByRole('radio', { name }).click();
  }
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await expect(widget.locator('.summary')).toHaveText('2,0/5 · 1 lượt bình chọn');
  expect(await serverSummary(request, key)).toMatchObject({ count: 1, sum: 2 });
});
