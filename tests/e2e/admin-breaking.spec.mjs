// Breaking news at the moderation desk (/admin, "Tin nóng") in Chromium against the real server:
// a moderator posts an item by keyboard alone, it leads GET /api/v1/news at once, is edited, and
// expires; axe-core finds nothing in the section. The server shows the demo feeds of www/feeds
// (no --feed given), so the news has the demo's items below the breaking one. This file starts
// its own server so that it knows the database the CLI adds the moderator to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { addModerator, startServer } from './servers.mjs';
import { apiLogin } from './admin-helpers.mjs';

let server;
let dir;
let base;
let cookies;
const NAME = 'Trực ban tin nóng';

test.beforeAll(async ({ playwright }) => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-breaking-'));
  const database = `sqlite://${join(dir, 'breaking.db')}`;
  server = await startServer({ database });
  base = server.url;
  const request = await playwright.request.newContext();
  cookies = await apiLogin(request, base, await addModerator(database, NAME));
  await request.dispose();
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function desk(page) {
  await page.context().addCookies(cookies);
  await page.goto(`${base}/admin`);
  await expect(page.getByText(`Người kiểm duyệt: ${NAME}`)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tin nóng', exact: true })).toBeVisible();
}

async function news(page) {
  const res = await page.request.get(`${base}/api/v1/news?limit=5`);
  expect(res.status()).toBe(200);
  return res.json();
}

/** Presses Tab until `locator` has focus (the keyboard alone, as a moderator would). */
async function tabTo(page, locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await locator.evaluate((node) => node === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('never reached by Tab');
}

test('a breaking item posted by keyboard leads the news, is edited, and expires', async ({ page }) => {
  await desk(page);
  // The demo feed is read at start: wait for its items.
  await expect.poll(async () => (await news(page)).items.length, { timeout: 15_000 }).toBeGreaterThan(0);
  const before = await news(page);
  expect(before.feed).toBe('tin-moi');
  expect(before.items.every((i) => !i.breaking)).toBe(true);

  const title = page.getByLabel('Tiêu đề');
  await tabTo(page, title);
  await page.keyboard.type('Động đất 5,1 độ ở Kon Tum, Hà Nội rung nhẹ');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Đường dẫn bài viết')).toBeFocused();
  await page.keyboard.type('https://bao-mau.example/thoi-su/dong-dat-kon-tum.html');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Hiện ở')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Hết hạn lúc')).toBeFocused();
  // The expiry is filled in (two hours ahead): Enter posts.
  await page.keyboard.press('Enter');
  await expect(page.locator('#breaking-announce')).toHaveText('Đã đăng tin nóng: Động đất 5,1 độ ở Kon Tum, Hà Nội rung nhẹ');
  await expect(title).toBeFocused();
  await expect(title).toHaveValue('');
  const item = page.locator('#breaking-list li').first();
  await expect(item.locator('.breaking-item-title')).toHaveText('Động đất 5,1 độ ở Kon Tum, Hà Nội rung nhẹ');
  await expect(item.locator('.breaking-state')).toContainText('Đang ghim');

  let answer = await news(page);
  expect(answer.items[0]).toMatchObject({
    title: 'Động đất 5,1 độ ở Kon Tum, Hà Nội rung nhẹ',
    url: 'https://bao-mau.example/thoi-su/dong-dat-kon-tum.html',
    breaking: true,
  });
  expect(answer.items[0].id).toMatch(/^b\d+$/);
  expect(answer.items[1].breaking).toBe(false);

  // Edit by keyboard: "Sửa" fills the form; the change is saved and still leads.
  const edit = item.getByRole('button', { name: 'Sửa' });
  await tabTo(page, edit);
  await page.keyboard.press('Enter');
  await expect(title).toBeFocused();
  await expect(title).toHaveValue('Động đất 5,1 độ ở Kon Tum, Hà Nội rung nhẹ');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Động đất 5,3 độ ở Kon Tum');
  await page.keyboard.press('Enter');
  await expect(page.locator('#breaking-announce')).toHaveText('Đã lưu và ghim: Động đất 5,3 độ ở Kon Tum');
  answer = await news(page);
  expect(answer.items[0].title).toBe('Động đất 5,3 độ ở Kon Tum');
  expect(answer.items[0].breaking).toBe(true);

  // The desk's one-letter shortcuts do not fire while typing or on these buttons.
  await expect(page.locator('#announce')).toHaveText('');

  // Expire now: gone from the news, kept at the desk as expired.
  const expire = item.getByRole('button', { name: 'Cho hết hạn ngay' });
  await tabTo(page, expire);
  await page.keyboard.press('Enter');
  await expect(page.locator('#breaking-announce')).toHaveText('Đã cho hết hạn: Động đất 5,3 độ ở Kon Tum');
  await expect(item.locator('.breaking-state')).toContainText('Đã hết hạn');
  answer = await news(page);
  expect(answer.items.some((i) => i.breaking)).toBe(false);
});

test('a refused field is named next to the form and nothing is posted', async ({ page }) => {
  await desk(page);
  await page.getByLabel('Tiêu đề').fill('Tin có đường dẫn hỏng');
  await page.getByLabel('Đường dẫn bài viết').fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Đăng tin nóng' }).click();
  await expect(page.locator('#breaking-error')).toHaveText('Đường dẫn phải là địa chỉ đầy đủ, bắt đầu bằng http:// hoặc https://.');
  await expect(page.getByLabel('Đường dẫn bài viết')).toBeFocused();
  await expect(page.getByLabel('Đường dẫn bài viết')).toHaveAttribute('aria-invalid', 'true');
  expect((await news(page)).items.some((i) => i.title === 'Tin có đường dẫn hỏng')).toBe(false);
});

test('the breaking news section has no axe-core violations', async ({ page }) => {
  await desk(page);
  const res = await page.request.get(`${base}/api/v1/admin/session`);
  const { csrf } = await res.json();
  const posted = await page.request.post(`${base}/api/v1/admin/breaking`, {
    headers: { 'x-bangtin-csrf': csrf },
    data: { title: 'Bão số 9 đổ bộ', url: 'https://bao-mau.example/bao-so-9', feed: 'the-thao', expires_at: Date.now() + 3_600_000 },
  });
  expect(posted.status(), await posted.text()).toBe(201);
  await page.reload();
  await expect(page.locator('#breaking-list li').filter({ hasText: 'Bão số 9 đổ bộ' })).toBeVisible();
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  let results = await new AxeBuilder({ page }).include('#breaking').withTags(tags).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(0);
  // With an error shown, too.
  await page.getByRole('button', { name: 'Đăng tin nóng' }).click();
  await expect(page.locator('#breaking-error')).toHaveText('Hãy nhập tiêu đề.');
  results = await new AxeBuilder({ page }).include('#breaking').withTags(tags).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
});
