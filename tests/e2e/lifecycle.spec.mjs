// Mounting and unmounting: elements removed and re-added, CMS placeholders, the command queue.
import { expect, test } from '@playwright/test';
import { article, hostPage, ready, watch } from './helpers.mjs';

test('removing a widget and adding it back leaves exactly one set of listeners', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('rating.html', { article: article('life') }));
  const widget = page.locator('#w');
  await ready(widget);
  expect(seen.count('/api/v1/boot')).toBe(1);

  for (let round = 1; round <= 3; round++) {
    const slotOnly = await page.evaluate(async () => {
      const el = document.getElementById('w');
      window.__home = el.parentNode;
      el.remove();
      // The loader hears of removals from a MutationObserver, whose callback is the first
      // microtask queued after the removal: one more microtask, and it has run.
      await new Promise((done) => queueMicrotask(done));
      window.__el = el;
      return [...el.shadowRoot.children].map((c) => c.localName);
    });
    expect(slotOnly).toEqual(['slot']); // unmounted: only the fallback slot is left
    await page.evaluate(() => window.__home.appendChild(window.__el));
    await ready(widget);
    expect(seen.count('/api/v1/boot')).toBe(1 + round);
  }
  await widget.getByRole('radio', { name: '5 sao' }).click();
  await expect(widget.locator('.summary')).toHaveText('5,0/5 · 1 lượt bình chọn');
  await expect(widget.getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  expect(seen.count('/api/v1/votes', 'POST')).toBe(1);
  expect(seen.errors).toEqual([]);
});

test('CMS placeholders are upgraded at load and when added later, and released when removed', async ({ page }) => {
  const seen = watch(page);
  const key = article('placeholder');
  await page.goto(hostPage('placeholder.html', { article: key }));
  await ready(page.locator('#a'));
  await page.evaluate((key) => {
    const div = document.createElement('div');
    div.id = 'b';
    div.dataset.bangtin = 'rating';
    div.dataset.article = `${key}-b`;
    div.dataset.scale = 'thumbs';
    div.innerHTML = '<p>Giữ chỗ B</p>';
    document.getElementById('slot-b').appendChild(div);
  }, key);
  await ready(page.locator('#b'));
  await expect(page.locator('#b .thumb')).toHaveCount(2);
  const left = await page.evaluate(async () => {
    const a = document.getElementById('a');
    a.remove();
    await new Promise((done) => queueMicrotask(done)); // after the loader's MutationObserver
    return [...a.shadowRoot.children].map((c) => c.localName);
  });
  expect(left).toEqual(['slot']);
  expect(seen.errors).toEqual([]);
});

test('commands queued before the loader arrives are replayed', async ({ page }) => {
  const seen = watch(page);
  await page.goto(hostPage('queue.html'));
  const widget = page.locator('#queued');
  await ready(widget);
  await expect(widget.getByRole('radio')).toHaveCount(2);
  await page.evaluate(() => window.bangtin('unmount', document.getElementById('queued')));
  await expect(page.locator('#queued .panel')).toHaveCount(0);
  await expect(page.getByText('Giữ chỗ hàng đợi')).toBeVisible();
  expect(seen.errors).toEqual([]);
  expect(seen.bangtin).toEqual([]);
});

test('two widgets spelling one Vietnamese article in NFC and NFD share one rating', async ({ page }) => {
  const seen = watch(page);
  const base = article('nfc');
  await page.goto(hostPage('placeholder.html', { article: base }));
  await ready(page.locator('#a'));
  await page.evaluate((base) => {
    for (const [id, form] of [['nfc', 'NFC'], ['nfd', 'NFD']]) {
      const div = document.createElement('div');
      div.id = id;
      div.dataset.bangtin = 'rating';
      div.dataset.article = `${base}/Việt Nam`.normalize(form);
      document.getElementById('slot-b').appendChild(div);
    }
  }, base);
  await ready(page.locator('#nfc'));
  await ready(page.locator('#nfd'));
  await page.locator('#nfd').getByRole('radio', { name: '4 sao' }).click();
  await expect(page.locator('#nfd').getByRole('status')).toHaveText('Cảm ơn bạn đã bình chọn.');
  await page.reload();
  await page.evaluate((base) => {
    const div = document.createElement('div');
    div.id = 'again';
    div.dataset.bangtin = 'rating';
    div.dataset.article = `${base}/Việt Nam`.normalize('NFC');
    document.getElementById('slot-b').appendChild(div);
  }, base);
  await expect(page.locator('#again .summary')).toHaveText('4,0/5 · 1 lượt bình chọn');
  await expect(page.locator('#again').getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
  expect(seen.errors).toEqual([]);
});
