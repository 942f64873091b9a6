// When things go wrong, the host page comes first: fallback content, one clear message, rollback.
import { expect, test } from '@playwright/test';
import { article, HOST, hostPage, ready, watch } from './helpers.mjs';
import { startServer } from './servers.mjs';

test('API unreachable: the fallback stays, one [bangtin] message, no uncaught exception', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('rating.html', { article: article('dead'), api: 'http://127.0.0.1:9' }));
  await expect.poll(() => seen.bangtin.length).toBe(1);
  expect(seen.bangtin[0]).toBe('[bangtin] cannot load from http://127.0.0.1:9; trying again');
  await expect(page.locator('#w .fallback')).toBeVisible();
  await expect(page.locator('#w .panel')).toBeHidden();
  expect(seen.errors).toEqual([]);
});

test('a vote the server refuses (rate limit) is rolled back with a short message', async ({ page }) => {
  const server = await startServer({ allowed: [HOST()], rateLimit: 1 });
  try {
    const seen = watch(page);
    await page.goto(hostPage('rating.html', { article: article('refused'), bangtin: server.url }));
    const widget = page.locator('#w');
    await ready(widget);
    await widget.getByRole('radio', { name: '4 sao' }).click();
    await expect(widget.locator('.summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
    await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
    await widget.getByRole('radio', { name: '2 sao' }).click();
    await expect(widget.getByRole('status')).toHaveText('Bạn bình chọn quá nhanh. Vui lòng thử lại sau ít phút.');
    await expect(widget.locator('.summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
    await expect(widget.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
    expect(seen.errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('server gone mid-visit: the vote waits to be sent, and the reader is told', async ({ page }) => {
  const server = await startServer({ allowed: [HOST()] });
  const seen = watch(page);
  await page.goto(hostPage('rating.html', { article: article('gone'), bangtin: server.url, lang: 'en' }));
  const widget = page.locator('#w');
  await ready(widget);
  await server.stop();
  await widget.getByRole('radio', { name: '5 stars' }).click();
  await expect(widget.getByRole('status')).toHaveText('Cannot reach the server: your vote will be sent once the connection is back.');
  await expect(widget.locator('.summary')).toHaveText('No votes yet'); // not counted
  await expect(widget.getByRole('radio', { name: '5 stars' })).toHaveAttribute('aria-checked', 'true'); // but chosen
  expect(seen.errors).toEqual([]);
});
