// The feedback widget in Chromium against the real server, the way readers and the newsroom use
// it: a reader sends feedback by keyboard alone and it is not public; a moderator approves it and
// replies; the reader's list shows it with the reply; a second reader likes it once. Also: errors
// tied to their fields, the draft surviving a reload, a failed send keeping the text, axe-core
// in Vietnamese and English, and a corpus of injected markup that must stay inert text.
// This file starts its own server so that it knows the database the CLI adds moderators to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { addModerator, startHost, startServer } from './servers.mjs';
import { apiLogin, filterArticle, itemById, login, publicList, seed } from './admin-helpers.mjs';
import { payloads } from './xss-corpus.mjs';

/** The server's least time between a form being shown and sent (crates/api MIN_SUBMIT_MS). */
const MIN_SUBMIT_MS = 3_000;

let server;
let host;
let dir;
let database;
let base;
let moderator; // session cookies
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.beforeAll(async ({ playwright }) => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-feedback-'));
  database = `sqlite://${join(dir, 'feedback.db')}`;
  host = await startHost();
  server = await startServer({ database, allowed: [host.url] });
  base = server.url;
  const request = await playwright.request.newContext();
  moderator = await apiLogin(request, base, await addModerator(database, 'Biên tập viên phản hồi'));
  await request.dispose();
});

test.afterAll(async () => {
  await server?.stop();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const article = (name) => `e2e/feedback-${name}-${run}`;
const url = (name, lang = 'vi') =>
  `${host.url}/feedback.html?${new URLSearchParams({ bangtin: base, article: article(name), lang })}`;
const widget = (page) => page.locator('#w');

/** Opens the page and waits for the widget's list (its panel shows only then). */
async function open(page, name, lang) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url(name, lang));
  await expect(widget(page).locator('.panel')).toBeVisible();
  return errors;
}

/** A moderator's desk request with the session and its CSRF token. */
async function desk(playwright, method, path, data) {
  const request = await playwright.request.newContext({ storageState: { cookies: moderator, origins: [] } });
  const session = await (await request.get(`${base}/api/v1/admin/session`)).json();
  const res = await request.fetch(`${base}${path}`, { method, data, headers: { 'x-bangtin-csrf': session.csrf } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const body = res.status() === 204 ? null : await res.json();
  await request.dispose();
  return body;
}

async function pendingIds(playwright, name) {
  const request = await playwright.request.newContext({ storageState: { cookies: moderator, origins: [] } });
  const ids = [];
  for (let after = ''; ;) {
    const res = await request.get(`${base}/api/v1/admin/feedback?${new URLSearchParams({ status: 'pending', article: article(name), limit: '100', ...(after && { after }) })}`);
    expect(res.status(), await res.text()).toBe(200);
    const page = await res.json();
    ids.push(...page.items.map((i) => i.id));
    if (!page.next) break;
    after = page.next;
  }
  await request.dispose();
  return ids;
}

test('the whole flow by keyboard: send, not public, approved with a reply, shown, liked once by a second reader', async ({ page, browser, playwright, request }) => {
  const errors = await open(page, 'flow');
  await expect(widget(page).getByText('Chưa có phản hồi nào.')).toBeVisible();
  // Keyboard only: from the button before the widget, Tab into the form and fill it.
  await page.locator('#before').focus();
  await page.keyboard.press('Tab');
  await expect(widget(page).getByLabel('Họ và tên')).toBeFocused();
  await page.keyboard.type('Nguyễn Thị Thu');
  await page.keyboard.press('Tab');
  await page.keyboard.type('thu.nguyen@example.vn');
  await page.keyboard.press('Tab');
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toBeFocused();
  const message = 'Cầu mới sẽ giúp học sinh hai xã\nkhông phải đi đò nữa.';
  await page.keyboard.type(message);
  await expect(widget(page).locator('#message-count')).toHaveText(String([...message].length));
  await page.keyboard.press('Tab');
  await expect(widget(page).getByRole('button', { name: 'Gửi phản hồi' })).toBeFocused();
  // The server's own rule: a form sent faster than a person types is taken for a bot.
  await page.waitForTimeout(MIN_SUBMIT_MS);
  await page.keyboard.press('Enter');
  await expect(widget(page).getByRole('status')).toHaveText('Phản hồi của bạn đã được gửi và đang chờ kiểm duyệt.');
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toHaveValue('');
  await expect(widget(page).getByLabel('Họ và tên')).toHaveValue('Nguyễn Thị Thu'); // kept for next time

  // Not public: neither the API nor a fresh page shows it, and email is never public.
  expect((await publicList(request, base, article('flow'))).items).toEqual([]);
  const [id] = await pendingIds(playwright, 'flow');
  expect(id).toBeTruthy();

  // A moderator logs in at /admin and, by keyboard, approves it and replies.
  const newsroom = await browser.newContext();
  const deskPage = await newsroom.newPage();
  await login(deskPage, base, await addModerator(database, 'Trực ban tòa soạn'));
  await filterArticle(deskPage, article('flow'));
  await expect(itemById(deskPage, id)).toBeFocused();
  await deskPage.keyboard.press('a');
  await expect(deskPage.getByRole('status')).toHaveText(/^Đã duyệt 1 phản hồi/);
  await deskPage.keyboard.press('2'); // "Đã đăng"
  await expect(itemById(deskPage, id)).toBeFocused();
  await deskPage.keyboard.press('t');
  await deskPage.keyboard.type('Cảm ơn bạn, tòa soạn sẽ theo dõi tiến độ.');
  await deskPage.keyboard.press('Control+Enter');
  await expect(deskPage.getByRole('status')).toHaveText(/^Đã gửi trả lời cho 1 phản hồi/);
  await newsroom.close();
  const list = await publicList(request, base, article('flow'));
  expect(list.items.map((i) => i.id)).toEqual([id]);
  expect(JSON.stringify(list)).not.toContain('thu.nguyen@example.vn');

  await page.reload();
  await expect(widget(page).locator('.panel')).toBeVisible();
  const item = widget(page).locator('li').first();
  await expect(item.locator('.name').first()).toHaveText('Nguyễn Thị Thu');
  await expect(item.locator('.text').first()).toHaveText('Cầu mới sẽ giúp học sinh hai xã\nkhông phải đi đò nữa.');
  await expect(item.locator('.reply')).toContainText('Tòa soạn trả lời');
  await expect(item.locator('.reply .text')).toHaveText('Cảm ơn bạn, tòa soạn sẽ theo dõi tiến độ.');
  await expect(widget(page).locator('#list-h .total')).toHaveText('1');

  // A second reader (another browser profile) likes it, by keyboard, once.
  const other = await browser.newContext();
  const second = await other.newPage();
  await open(second, 'flow');
  const like = widget(second).locator('button.like');
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await like.focus();
  await second.keyboard.press('Enter');
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await expect(like).toContainText('1 lượt thích');
  await expect(like).toBeFocused(); // focus stays on the button the reader pressed
  await second.keyboard.press('Enter');
  await second.reload();
  await expect(widget(second).locator('button.like')).toContainText('1 lượt thích');
  await expect(widget(second).locator('button.like')).toHaveAttribute('aria-pressed', 'true');
  // The same reader id sent again by hand counts once too.
  const reader = await second.evaluate(() => localStorage.getItem('bangtin:reader'));
  const again = await request.post(`${base}/api/v1/feedback/likes`, { data: { id, reader }, headers: { origin: host.url } });
  expect(again.status(), await again.text()).toBeLessThan(300);
  expect((await publicList(request, base, article('flow'))).items[0].likes).toBe(1);
  await other.close();
  expect(errors).toEqual([]);
});

test('errors are tied to their fields, focus goes to the first, and the server names its field', async ({ page }) => {
  await open(page, 'errors');
  await widget(page).getByRole('button', { name: 'Gửi phản hồi' }).click();
  const name = widget(page).getByLabel('Họ và tên');
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('Xin nhập họ và tên.');
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toHaveAccessibleDescription(/Xin nhập nội dung phản hồi\./);
  // Fixing a field clears its error as the reader types.
  await name.fill('Trần Văn Hải');
  await expect(name).toHaveAttribute('aria-invalid', 'false');
  await widget(page).getByLabel(/^Email/).fill('hai@');
  await widget(page).getByLabel('Nội dung phản hồi').fill('ngắn');
  await widget(page).getByRole('button', { name: 'Gửi phản hồi' }).click();
  await expect(widget(page).getByLabel(/^Email/)).toBeFocused();
  await expect(widget(page).getByLabel(/^Email/)).toHaveAccessibleDescription('Email chưa đúng, ví dụ: ten@vidu.vn.');
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toHaveAccessibleDescription(/Cần ít nhất 10 ký tự\./);
});

test('a draft survives a reload, and a send that fails keeps the text and goes when the network is back', async ({ page, context, request }) => {
  await open(page, 'draft');
  await widget(page).getByLabel('Họ và tên').fill('Phan Văn Đức');
  await widget(page).getByLabel('Nội dung phản hồi').fill('Bản nháp này phải còn sau khi tải lại trang.');
  await page.reload();
  await expect(widget(page).locator('.panel')).toBeVisible();
  await expect(widget(page).getByLabel('Họ và tên')).toHaveValue('Phan Văn Đức');
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toHaveValue('Bản nháp này phải còn sau khi tải lại trang.');

  // The server refuses once (a 503): the text stays, the reader is told to try again.
  let refused = 0;
  await page.route(`${base}/api/v1/feedback`, (route) => {
    if (route.request().method() !== 'POST' || refused++) return route.fallback();
    return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down"}}' });
  });
  await page.waitForTimeout(MIN_SUBMIT_MS);
  await widget(page).getByRole('button', { name: 'Gửi phản hồi' }).click();
  await expect(widget(page).getByRole('status')).toHaveText(/Nội dung vẫn còn|sẽ được gửi khi có kết nối/);
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toHaveValue('Bản nháp này phải còn sau khi tải lại trang.');
  await page.unroute(`${base}/api/v1/feedback`);

  // Offline: the send waits in the outbox and goes, once, when the network returns.
  await context.setOffline(true);
  await widget(page).getByRole('button', { name: 'Gửi phản hồi' }).click();
  await expect(widget(page).getByRole('status')).toHaveText('Chưa có mạng: phản hồi sẽ được gửi khi có kết nối.');
  await context.setOffline(false);
  await expect.poll(async () => (await adminPending(request, 'draft')).length, { timeout: 15_000 }).toBe(1);
  await page.reload();
  await expect(widget(page).locator('.panel')).toBeVisible();
  await expect(widget(page).getByLabel('Nội dung phản hồi')).toHaveValue(''); // sent: the draft is gone
});

/** Pending items of an article, through a moderator's session. */
async function adminPending(request, name) {
  const res = await request.get(`${base}/api/v1/admin/feedback?${new URLSearchParams({ status: 'pending', article: article(name), limit: '100' })}`, {
    headers: { cookie: moderator.map((c) => `${c.name}=${c.value}`).join('; ') },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).items;
}

for (const lang of ['vi', 'en']) {
  test(`axe-core finds no violations (${lang}), with items, a reply and errors shown`, async ({ page, playwright, request }) => {
    const name = `axe-${lang}`;
    const [id] = await seed(request, base, [{ article: article(name), name: 'Lâm Thị Ánh', message: 'Một ý kiến để kiểm tra trợ năng.' }]);
    await desk(playwright, 'POST', '/api/v1/admin/feedback/actions', { action: 'approve', ids: [id] });
    await desk(playwright, 'POST', '/api/v1/admin/replies', { ids: [id], message: 'Tòa soạn cảm ơn bạn.' });
    await open(page, name, lang);
    await expect(widget(page).locator('li')).toHaveCount(1);
    await widget(page).locator('button.submit').click(); // shows the errors too
    await expect(widget(page).locator('[aria-invalid=true]').first()).toBeVisible();
    const results = await new AxeBuilder({ page }).include('#w').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  });
}

test(`injected markup stays inert: ${payloads.length} payloads sent, published and rendered as text`, async ({ page, playwright, request }) => {
  test.setTimeout(120_000);
  expect(payloads.length).toBeGreaterThanOrEqual(150);
  const ids = await seed(request, base, payloads.map((p, i) => ({ article: article('xss'), name: p.name, message: p.message, email: i % 7 ? undefined : 'x@example.vn' })));
  // Some are kept as spam (links, duplicates): the newsroom publishes them all anyway.
  for (let i = 0; i < ids.length; i += 100) {
    await desk(playwright, 'POST', '/api/v1/admin/feedback/actions', { action: 'approve', ids: ids.slice(i, i + 100) });
  }
  await page.addInitScript(() => {
    window.__xss = 0;
    window.__alerts = 0;
    window.alert = window.confirm = window.prompt = () => { window.__alerts++; };
  });
  const errors = await open(page, 'xss');
  const more = widget(page).getByRole('button', { name: 'Xem thêm' });
  while (await more.isVisible()) {
    const before = await widget(page).locator('li').count();
    await more.click();
    await expect.poll(() => widget(page).locator('li').count()).toBeGreaterThan(before);
  }
  await expect(widget(page).locator('ol > li')).toHaveCount(payloads.length);
  // Every item shows exactly what was sent, as text.
  const shown = await widget(page).locator('ol > li').evaluateAll((items) =>
    items.map((li) => [li.querySelector('.name').textContent, li.querySelector('.text').textContent]));
  const sent = new Set(payloads.map((p) => JSON.stringify([p.name.trim(), p.message.trim()].map((s) => s.normalize('NFC')))));
  for (const pair of shown) expect(sent.has(JSON.stringify(pair)), JSON.stringify(pair)).toBe(true);
  // No script ran, and no element was made from the payloads: each item is the template's.
  expect(await page.evaluate(() => [window.__xss, window.__alerts])).toEqual([0, 0]);
  const tags = await widget(page).locator('ol > li').evaluateAll((items) =>
    [...new Set(items.flatMap((li) => [...li.querySelectorAll('*')].map((e) => e.localName)))].sort());
  expect(tags).toEqual(['button', 'div', 'p', 'span', 'time']);
  expect(await page.locator('body script, body img, body svg, body iframe, body math').count()).toBe(0);
  // The layout holds: nothing wider than the column, long words wrapped.
  const widths = await page.evaluate(() => {
    const w = document.querySelector('#w').getBoundingClientRect();
    const box = document.querySelector('#box').getBoundingClientRect();
    const widest = Math.max(...[...document.querySelector('#w').shadowRoot.querySelectorAll('li')].map((li) => li.getBoundingClientRect().right));
    return { page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth, w: w.right, box: box.right, widest };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.view);
  expect(widths.widest).toBeLessThanOrEqual(widths.box + 0.5);
  expect(errors).toEqual([]);
});
