// A failure stays inside one widget: bad keys, hung and lost requests, unmounting mid-vote,
// blocked storage, many widgets, two servers, a failed code load, attributes that change.
import { expect, test } from '@playwright/test';
import { article, HOST, hostPage, ready, serverSummary, watch } from './helpers.mjs';
import { startServer } from './servers.mjs';

test('one widget whose key is refused (a page path over the limit) fails alone', async ({ page }) => {
  const seen = watch(page);
  const key = article('badkey');
  // #b takes the page's own key, its path: 600 characters, over the 512 allowed.
  const long = `${HOST()}/long/${'x'.repeat(600)}/multi.html?article=${encodeURIComponent(key)}`;
  await page.goto(long);
  await ready(page.locator('#a'));
  await ready(page.locator('#c'));
  await expect(page.locator('#b .fallback')).toBeVisible();
  await expect(page.locator('#b .panel')).toHaveAttribute('data-phase', 'failed');
  expect(seen.count('/api/v1/boot')).toBe(1);
  await expect.poll(() => seen.bangtin.length).toBe(1);
  expect(seen.bangtin[0]).toMatch(/^\[bangtin\] rating: the server refused "stars:\/long\/x+\/multi\.html": invalid_article$/);
  await page.locator('#a').getByRole('radio', { name: '5 sao' }).click();
  await expect(page.locator('#a').getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  expect(seen.errors).toEqual([]);
});

test('a hung vote times out, offers a retry, and does not block the next vote', async ({ page }) => {
  await page.clock.install();
  const seen = watch(page);
  const key = article('hung');
  await page.goto(hostPage('rating.html', { article: key }));
  const widget = page.locator('#w');
  await ready(widget);
  // The server never answers this vote.
  let held = 0;
  await page.route('**/api/v1/votes', () => { held += 1; });
  await widget.getByRole('radio', { name: '4 sao' }).click();
  await expect(widget.getByRole('status')).toHaveText('Đang gửi bình chọn của bạn…');
  await expect(widget.locator('.summary')).toHaveText('Chưa có lượt bình chọn nào'); // not counted
  await expect.poll(() => held).toBe(1);
  await page.clock.runFor(10_500); // the transport's 10 s timeout
  await expect(widget.getByRole('status')).toHaveText('Máy chủ không trả lời, bình chọn chưa được lưu.');
  const retry = widget.getByRole('button', { name: 'Thử lại' });
  await expect(retry).toBeVisible();
  await page.unroute('**/api/v1/votes');
  await retry.click();
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await expect(widget.locator('.summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
  await expect(retry).toBeHidden();
  // Focus stays on the rating, not lost with the hidden button.
  await expect(widget.getByRole('radio', { name: '4 sao' })).toBeFocused();
  await widget.getByRole('radio', { name: '2 sao' }).click();
  await expect(widget.locator('.summary')).toHaveText('2,0/5 · 1 lượt bình chọn');
  expect(seen.errors).toEqual([]);
});

test('unmounting in the middle of a vote aborts it and puts the fallback back', async ({ page, request }) => {
  const seen = watch(page);
  const key = article('midvote');
  await page.goto(hostPage('rating.html', { article: key }));
  const widget = page.locator('#w');
  await ready(widget);
  await page.route('**/api/v1/votes', () => {}); // held: the vote is in flight
  const aborted = page.waitForEvent('requestfailed', (r) => r.url().includes('/api/v1/votes'));
  await widget.getByRole('radio', { name: '3 sao' }).click();
  const left = await page.evaluate(async () => {
    const el = document.getElementById('w');
    el.remove();
    await new Promise((done) => queueMicrotask(done));
    return [...el.shadowRoot.children].map((c) => c.localName);
  });
  expect(left).toEqual(['slot']);
  await aborted;
  expect(await serverSummary(request, key)).toMatchObject({ count: 0 });
  expect(seen.errors).toEqual([]);
});

test('a page whose localStorage throws still lets its reader vote', async ({ page, request }) => {
  const seen = watch(page);
  const key = article('nostorage');
  await page.goto(hostPage('nostorage.html', { article: key }));
  const widget = page.locator('#w');
  await ready(widget);
  await widget.getByRole('radio', { name: '5 sao' }).click();
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await widget.getByRole('radio', { name: '1 sao' }).click();
  await expect(widget.locator('.summary')).toHaveText('1,0/5 · 1 lượt bình chọn'); // the same reader
  expect(await serverSummary(request, key)).toMatchObject({ count: 1, sum: 1 });
  expect(seen.errors).toEqual([]);
});

test('150 widgets on one page all show their counts from one request', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('many.html', { article: article('150'), count: '150' }));
  await expect(page.locator('bangtin-rating .panel[data-phase=ready]')).toHaveCount(150);
  expect(seen.count('/api/v1/boot')).toBe(1);
  expect(seen.errors).toEqual([]);
});

test('widgets of two servers on one page each talk to their own', async ({ page, request }) => {
  const other = await startServer({ allowed: [HOST()] });
  try {
    const seen = watch(page);
    const key = article('two');
    await page.goto(hostPage('multi.html', { article: key, other: other.url }));
    await ready(page.locator('#a'));
    await ready(page.locator('#d'));
    await page.locator('#d').getByRole('radio', { name: '4 sao' }).click();
    await expect(page.locator('#d').getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
    expect(await serverSummary(request, `${key}-d`, 'stars', other.url)).toMatchObject({ count: 1, sum: 4 });
    expect(await serverSummary(request, `${key}-d`)).toMatchObject({ count: 0 });
    const toOther = seen.requests.filter((r) => r.url().startsWith(other.url)).map((r) => new URL(r.url()).pathname);
    expect(toOther).toEqual(['/api/v1/boot', '/api/v1/votes']);
    expect(seen.errors).toEqual([]);
  } finally {
    await other.stop();
  }
});

test('a failed code load is tried again when the widget is in view again', async ({ page }) => {
  const seen = watch(page);
  let refused = 0;
  await page.route('**/pkg/*.wasm', (route) => (refused++ ? route.continue() : route.abort()));
  await page.goto(hostPage('rating.html', { article: article('retryload') }));
  await expect.poll(() => seen.bangtin.some((m) => m.startsWith('[bangtin] no code'))).toBe(true);
  await expect(page.locator('#w .fallback')).toBeVisible();
  await ready(page.locator('#w')); // after the pause, the widget still in view tries again
  expect(refused).toBe(2);
  expect(seen.count('/api/v1/boot')).toBe(1); // the first data was not asked for twice
  expect(seen.errors).toEqual([]);
});

test('a single-page app changing the article gets the rating of the new one', async ({ page }) => {
  const seen = watch(page);
  const first = article('spa-a');
  const second = article('spa-b');
  await page.goto(hostPage('rating.html', { article: first }));
  const widget = page.locator('#w');
  await ready(widget);
  await widget.getByRole('radio', { name: '4 sao' }).click();
  await expect(widget.locator('.summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
  await page.evaluate((a) => document.getElementById('w').setAttribute('article', a), second);
  await expect(widget.locator('.summary')).toHaveText('Chưa có lượt bình chọn nào');
  await expect(widget.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'false');
  await page.evaluate((a) => document.getElementById('w').setAttribute('article', a), first);
  await expect(widget.locator('.summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
  await expect(widget.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
  expect(seen.errors).toEqual([]);
});
