// The moderation desk (/admin) in Chromium against the real server: login with a one-time token
// from the CLI, the pending queue, actions by keyboard and mouse, bulk, replies that readers
// see, undo, logout, keyboard alone, axe-core, the CSP, injected markup, errors and export.
// This file starts its own server so that it knows the database the CLI adds moderators to.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { addModerator, startServer } from './servers.mjs';
import {
  adminList, apiLogin, filterArticle, itemById, login, publicList, queue, seed, statuses,
  submitToken, vietnamTime, watchAdmin,
} from './admin-helpers.mjs';

let server;
let dir;
let database;
let base;
let shared; // the session cookies of the moderator most tests work as
const SHARED = 'Biên tập viên e2e';
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const A = {}; // article key per test
const ID = {}; // seeded ids per test, oldest first

// Every test's feedback, sent once before all of them (one wait for the minimum submit time).
// Messages differ, so none is taken for a duplicate.
const plan = {
  queue: [
    { name: 'Nguyễn Văn An', email: 'an.nguyen@example.vn', message: 'Cầu mới giúp bà con đi lại thuận tiện hơn nhiều.' },
    { name: 'Trần Thị Bình', message: 'Mong tỉnh sớm làm thêm đường dẫn lên cầu.' },
    { name: 'Lê Văn Cường', email: 'cuong@example.vn', message: 'Dòng thứ nhất của phản hồi.\nDòng thứ hai, sau một lần xuống dòng.' },
    { name: 'Phạm Minh Dũng', message: 'Bài viết rất hay, cảm ơn phóng viên.' },
  ],
  keys: [
    { name: 'Đỗ Thị Hoa', message: 'Phản hồi thứ nhất cho phím tắt.' },
    { name: 'Hoàng Văn Khánh', message: 'Phản hồi thứ hai cho phím tắt.' },
    { name: 'Vũ Thị Lan', message: 'Phản hồi thứ ba cho phím tắt.' },
  ],
  mouse: [
    { name: 'Bùi Văn Mạnh', message: 'Sẽ bị đánh dấu rác bằng chuột.' },
    { name: 'Đặng Thị Ngọc', message: 'Sẽ bị từ chối bằng chuột nhé.' },
    { name: 'Ngô Văn Phúc', message: 'Sẽ được duyệt bằng chuột nhé.' },
  ],
  rs: [
    { name: 'Dương Thị Quyên', message: 'Sẽ bị đánh dấu rác bằng phím s.' },
    { name: 'Lý Văn Sơn', message: 'Sẽ bị từ chối bằng phím r.' },
  ],
  bulk: [
    { name: 'Bạn đọc Một', message: 'Hàng loạt: phản hồi số một.' },
    { name: 'Bạn đọc Hai', message: 'Hàng loạt: phản hồi số hai.' },
    { name: 'Bạn đọc Ba', message: 'Hàng loạt: phản hồi số ba.' },
    { name: 'Bạn đọc Bốn', message: 'Hàng loạt: phản hồi số bốn.' },
    { name: 'Bạn đọc Năm', message: 'Hàng loạt: phản hồi số năm.' },
    { name: 'Bạn đọc Sáu', message: 'Hàng loạt: phản hồi số sáu.' },
  ],
  reply: [
    { name: 'Trịnh Văn Tâm', email: 'tam@example.vn', message: 'Xin hỏi khi nào cầu thu phí?' },
  ],
  undo: [
    { name: 'Mai Thị Uyên', message: 'Hoàn tác: phản hồi số một.' },
    { name: 'Tạ Văn Vinh', message: 'Hoàn tác: phản hồi số hai.' },
  ],
  flow: [
    { name: 'Châu Thị Xuân', message: 'Chỉ bàn phím: phản hồi cũ hơn.' },
    { name: 'Kiều Văn Yên', message: 'Chỉ bàn phím: phản hồi mới hơn.' },
  ],
  axe: [
    { name: 'Lâm Thị Ánh', email: 'anh@example.vn', message: 'Kiểm tra trợ năng của bàn kiểm duyệt.' },
    { name: 'Quách Văn Bảo', message: 'Xem thêm ở http://a.example/1 http://b.example/2 http://c.example/3 và http://d.example/4' },
  ],
  csp: [
    { name: 'Ông Văn Chí', message: 'Kiểm tra chính sách bảo mật nội dung.' },
    { name: 'Ưng Thị Diệu', message: 'Kiểm tra thêm một phản hồi nữa.' },
  ],
  xss: [
    { name: '<img src=x onerror="window.__xss=1">', email: '"><script>window.__xss=2</script>@example.vn', message: '<script>window.__xss=3</script><b>đậm</b> <img src=x onerror="window.__xss=4">' },
    { name: '<svg onload="window.__xss=5">', message: '<a href="javascript:window.__xss=6">bấm vào đây</a> <iframe src="javascript:parent.__xss=7"></iframe>' },
    { name: 'Tên dài', message: `${'Rấtdàikhôngcókhoảngtrắng'.repeat(40)} \u202Eđảo chiều\u202C và\u200Bký\u200Btự\u200Brỗng` },
  ],
  xssJs: [{ name: 'Khóa javascript', message: 'Khóa bài viết là một URL javascript.' }],
  xssHttp: [{ name: 'Khóa https', message: 'Khóa bài viết là một URL https.' }],
  xssPath: [{ name: 'Khóa đường dẫn', message: 'Khóa bài viết là một đường dẫn.' }],
  errors: [
    { name: 'Lỗi Mạng Một', message: 'Phản hồi để thử lỗi mạng.' },
    { name: 'Lỗi Mạng Hai', message: 'Phản hồi thứ hai để thử lỗi.' },
  ],
  exports: [{ name: 'Xuất Dữ Liệu', email: 'xuat@example.vn', message: 'Phản hồi để thử xuất dữ liệu.' }],
};

test.beforeAll(async ({ playwright }) => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-admin-'));
  database = `sqlite://${join(dir, 'admin.db')}`;
  server = await startServer({ database });
  base = server.url;
  for (const key of Object.keys(plan)) A[key] = `e2e/admin-${key}-${run}`;
  A.queue = `/e2e/admin-queue-${run}`; // a path: the desk links it
  A.xssJs = `javascript:window.__xss=8//${run}`;
  A.xssHttp = `https://baosonglam.example/e2e/${run}?a=1&b=<b>`;
  A.xssPath = `/xa-hoi/${run}`;
  const entries = Object.entries(plan).flatMap(([key, list]) => list.map((e) => ({ ...e, article: A[key], key })));
  const request = await playwright.request.newContext();
  const ids = await seed(request, base, entries);
  // One login for most tests: the server allows only 5 login attempts a minute per address.
  shared = await apiLogin(request, base, await addModerator(database, SHARED));
  await request.dispose();
  entries.forEach((e, i) => { (ID[e.key] ||= []).push(ids[i]); });
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The desk, logged in as the shared moderator, showing `key`'s article. */
async function desk(page, key) {
  await page.context().addCookies(shared);
  await page.goto(`${base}/admin`);
  await expect(page.getByText(`Người kiểm duyệt: ${SHARED}`)).toBeVisible();
  await filterArticle(page, A[key]);
}

/** Runs a desk action through the API, as another moderator's desk would. */
async function apiAction(page, action, ids) {
  const session = await (await page.request.get(`${base}/api/v1/admin/session`)).json();
  const res = await page.request.post(`${base}/api/v1/admin/feedback/actions`, {
    data: { action, ids }, headers: { 'x-bangtin-csrf': session.csrf },
  });
  expect(res.status(), await res.text()).toBe(200);
}

const names = (page) => queue(page).locator('.item-name').allTextContents();
const status = (page) => page.getByRole('status');

/** Focus is on the item showing `id`, and it is the current one. */
async function focusedOn(page, id) {
  const item = itemById(page, id);
  await expect(item).toBeFocused();
  await expect(item).toHaveAttribute('aria-current', 'true');
}

test('login: a one-time token from the CLI opens the desk; a wrong token and a used one are refused', async ({ page }) => {
  test.slow(); // it may have to wait out the server's login limit (5 a minute per address)
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  const token = await addModerator(database, 'Phạm Thu Hà');
  await page.goto(`${base}/admin`);
  const field = page.getByLabel('Mã đăng nhập');
  await expect(field).toHaveAttribute('type', 'password');
  await expect(field).toBeFocused();

  expect(await submitToken(page, randomBytes(32).toString('hex'))).toBe(401); // well-formed, but no one's
  await expect(page.locator('#login-error')).toHaveText(/Mã đăng nhập không đúng/);
  await expect(field).toHaveValue('');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();

  expect(await submitToken(page, token)).toBe(200);
  await expect(page.getByText('Người kiểm duyệt: Phạm Thu Hà')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Chờ duyệt' })).toBeVisible();
  await expect(field).toHaveValue(''); // the secret does not linger in the (hidden) field
  expect(await page.evaluate(() => document.cookie)).toBe(''); // the session cookie is HttpOnly
  // A reload keeps the session (the cookie), without the token.
  await page.reload();
  await expect(page.getByText('Người kiểm duyệt: Phạm Thu Hà')).toBeVisible();

  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(field).toBeVisible();
  expect(await submitToken(page, token)).toBe(401);
  await expect(page.locator('#login-error')).toHaveText(/đã được dùng/);
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeHidden();

  expect(urls.filter((u) => u.includes(token))).toEqual([]); // never in a URL
});

test.describe('a moderator abroad', () => {
  // Times are Vietnam's whatever the moderator's computer says.
  test.use({ timezoneId: 'America/Los_Angeles' });

  test('the queue shows pending feedback newest first, with counts per status and each item in full', async ({ page }) => {
    await desk(page, 'queue');
    const [an, binh, cuong, dung] = ID.queue;
    await apiAction(page, 'approve', [an]);
    await apiAction(page, 'reject', [binh]);
    await page.getByRole('button', { name: 'Làm mới' }).click();

    await expect.poll(() => names(page)).toEqual(['Phạm Minh Dũng', 'Lê Văn Cường']);
    const api = await adminList(page, base, 'pending', A.queue);
    expect(api.items.map((i) => i.id)).toEqual([dung, cuong]);
    // The tabs say how many there are of each status, and which one is shown.
    const tabs = page.getByRole('navigation', { name: 'Lọc theo trạng thái' });
    for (const [label, s] of [['Chờ duyệt', 'pending'], ['Đã đăng', 'published'], ['Đã từ chối', 'rejected'], ['Rác', 'spam'], ['Đã xóa', 'deleted']]) {
      await expect(tabs.getByRole('button', { name: new RegExp(`^${label} `) })).toHaveText(`${label} ${api.counts[s]}`);
    }
    expect(api.counts).toEqual({ pending: 2, published: 1, rejected: 1, spam: 0, deleted: 0 }); // this article's
    await expect(tabs.getByRole('button', { name: /^Chờ duyệt/ })).toHaveAttribute('aria-pressed', 'true');

    // One item: name, email, Vietnamese time, the article linked, the message with its line break.
    const item = itemById(page, cuong);
    const data = api.items[1];
    await expect(item.getByRole('heading', { name: 'Lê Văn Cường' })).toBeVisible();
    await expect(item.getByText('cuong@example.vn')).toBeVisible();
    await expect(item.locator('time').first()).toHaveText(vietnamTime(data.created_at));
    await expect(item.locator('time').first()).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await expect(item.getByRole('link', { name: A.queue })).toHaveAttribute('href', A.queue);
    const message = item.locator('.item-message');
    await expect(message).toHaveText(plan.queue[2].message);
    expect(await message.evaluate((p) => p.textContent.includes('\n') && getComputedStyle(p).whiteSpace)).toBe('pre-wrap');
    expect(await message.evaluate((p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))).toBeGreaterThanOrEqual(1.9);
    await expect(itemById(page, dung).getByText('Không để lại email')).toBeVisible();

    await tabs.getByRole('button', { name: /^Đã đăng/ }).click();
    await expect(tabs.getByRole('button', { name: /^Đã đăng/ })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => names(page)).toEqual(['Nguyễn Văn An']);
  });
});

test('keyboard: j and k move the current item, a approves it and focus moves to the next', async ({ page }) => {
  await desk(page, 'keys');
  const [one, two, three] = ID.keys; // newest first on the page: three, two, one
  await focusedOn(page, three);
  await page.keyboard.press('j');
  await focusedOn(page, two);
  await expect(itemById(page, three)).not.toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('j');
  await focusedOn(page, one);
  await page.keyboard.press('j'); // stays on the last
  await focusedOn(page, one);
  await page.keyboard.press('k');
  await focusedOn(page, two);
  expect(await itemById(page, two).evaluate((li) => getComputedStyle(li).outlineStyle)).toBe('solid'); // visible focus

  await page.keyboard.press('a');
  await expect(status(page)).toHaveText('Đã duyệt 1 phản hồi. Nhấn u để hoàn tác.');
  await expect(itemById(page, two)).toHaveCount(0);
  await focusedOn(page, one); // the next one took its place
  expect(await statuses(page, base, A.keys)).toEqual({ [one]: 'pending', [two]: 'published', [three]: 'pending' });
  await expect(page.getByRole('button', { name: /^Chờ duyệt/ })).toHaveText(/ 2$/);
});

test('mouse: Duyệt, Từ chối and Đánh dấu rác buttons act on their item and focus is never lost', async ({ page }) => {
  await desk(page, 'mouse');
  const [spam, reject, approve] = ID.mouse;
  await itemById(page, approve).getByRole('button', { name: 'Duyệt', exact: true }).click();
  await expect(status(page)).toHaveText(/^Đã duyệt 1 phản hồi/);
  await focusedOn(page, reject);
  await itemById(page, reject).getByRole('button', { name: 'Từ chối', exact: true }).click();
  await expect(status(page)).toHaveText(/^Đã từ chối 1 phản hồi/);
  await focusedOn(page, spam);
  await itemById(page, spam).getByRole('button', { name: 'Đánh dấu rác', exact: true }).click();
  await expect(status(page)).toHaveText(/^Đã đánh dấu rác 1 phản hồi/);
  // The queue is empty: focus is on the line that says so, not lost to <body>.
  await expect(page.getByText('Không còn phản hồi nào chờ duyệt.')).toBeFocused();
  expect(await statuses(page, base, A.mouse)).toEqual({ [spam]: 'spam', [reject]: 'rejected', [approve]: 'published' });
});

test('keyboard: r rejects and s marks as spam', async ({ page }) => {
  await desk(page, 'rs');
  const [spam, reject] = ID.rs;
  await focusedOn(page, reject);
  await page.keyboard.press('r');
  await expect(status(page)).toHaveText(/^Đã từ chối 1 phản hồi/);
  await focusedOn(page, spam);
  await page.keyboard.press('s');
  await expect(status(page)).toHaveText(/^Đã đánh dấu rác 1 phản hồi/);
  await expect(page.getByText('Không còn phản hồi nào chờ duyệt.')).toBeFocused();
  expect(await statuses(page, base, A.rs)).toEqual({ [spam]: 'spam', [reject]: 'rejected' });
  // In the spam view the item says why nothing else happened to it.
  await page.keyboard.press('4');
  await expect(page.getByRole('heading', { level: 2, name: /^Rác/ })).toBeVisible();
  await focusedOn(page, spam);
});

test('bulk: boxes, x and "Chọn tất cả" select; bulk approve, bulk reply and bulk reject act on all selected', async ({ page }) => {
  await desk(page, 'bulk');
  const [b1, b2, b3, b4, b5, b6] = ID.bulk; // newest first: b6 … b1
  await page.getByLabel('Chọn phản hồi của Bạn đọc Sáu').check();
  await page.getByLabel('Chọn phản hồi của Bạn đọc Bốn').check();
  await expect(page.locator('#selected-count')).toHaveText('Đã chọn 2 phản hồi');
  await page.getByRole('button', { name: 'Duyệt mục đã chọn' }).click();
  await expect(status(page)).toHaveText(/^Đã duyệt 2 phản hồi/);
  await expect.poll(() => names(page)).toEqual(['Bạn đọc Năm', 'Bạn đọc Ba', 'Bạn đọc Hai', 'Bạn đọc Một']);
  await expect(page.locator('#selected-count')).toHaveText('Chưa chọn mục nào');

  // x selects the current item; with a selection, a acts on all of it.
  await itemById(page, b5).focus();
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(page.locator('#selected-count')).toHaveText('Đã chọn 2 phản hồi');
  await expect(page.getByLabel('Chọn phản hồi của Bạn đọc Năm')).toBeChecked();
  await expect(page.getByLabel('Chọn phản hồi của Bạn đọc Hai')).toBeChecked();
  await page.keyboard.press('a');
  await expect(status(page)).toHaveText(/^Đã duyệt 2 phản hồi/);
  await expect.poll(() => names(page)).toEqual(['Bạn đọc Ba', 'Bạn đọc Một']);

  await page.getByLabel('Chọn tất cả').check();
  await expect(page.locator('#selected-count')).toHaveText('Đã chọn 2 phản hồi');
  await page.getByLabel('Trả lời chung cho các mục đã chọn').fill('Tòa soạn đã nhận ý kiến, xin cảm ơn.');
  await page.getByRole('button', { name: 'Trả lời các mục đã chọn' }).click();
  await expect(status(page)).toHaveText(/^Đã gửi trả lời cho 2 phản hồi/);
  await expect(queue(page).locator('.reply-message')).toHaveText(['Tòa soạn đã nhận ý kiến, xin cảm ơn.', 'Tòa soạn đã nhận ý kiến, xin cảm ơn.']);
  await page.getByLabel('Chọn tất cả').check();
  await page.getByRole('button', { name: 'Từ chối mục đã chọn' }).click();
  await expect(status(page)).toHaveText(/^Đã từ chối 2 phản hồi/);
  await expect(queue(page)).toHaveCount(0);
  expect(await statuses(page, base, A.bulk)).toEqual({
    [b1]: 'rejected', [b2]: 'published', [b3]: 'rejected', [b4]: 'published', [b5]: 'published', [b6]: 'published',
  });
  const replied = await adminList(page, base, 'rejected', A.bulk);
  expect(replied.items.map((i) => i.replies.map((r) => r.message))).toEqual([
    ['Tòa soạn đã nhận ý kiến, xin cảm ơn.'], ['Tòa soạn đã nhận ý kiến, xin cảm ơn.'],
  ]);
});

test('reply: typing never triggers shortcuts, and the newsroom reply shows under the item in the public list', async ({ page, request }) => {
  await desk(page, 'reply');
  const [id] = ID.reply;
  expect((await publicList(request, base, A.reply)).items).toEqual([]); // pending is not public
  await page.keyboard.press('a');
  await expect(status(page)).toHaveText(/^Đã duyệt 1 phản hồi/);
  await page.keyboard.press('2'); // "Đã đăng"
  await focusedOn(page, id);
  await page.keyboard.press('t');
  const box = itemById(page, id).getByLabel('Trả lời của tòa soạn');
  await expect(box).toBeFocused();
  // Letters that are shortcuts elsewhere, and Enter, are text here.
  await page.keyboard.type('Chào bạn, cầu sẽ không thu phí.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Trân trọng, tòa soạn: j k a r s u d x.');
  await page.keyboard.press('Control+z'); // the browser's own undo in the box, not the desk's
  await expect(itemById(page, id)).toBeVisible();
  await box.fill('Chào bạn, cầu sẽ không thu phí.\nTrân trọng, tòa soạn.');
  await page.keyboard.press('Control+Enter');
  await expect(status(page)).toHaveText(/^Đã gửi trả lời cho 1 phản hồi/);
  await expect(box).toHaveValue('');
  await focusedOn(page, id);
  await expect(itemById(page, id).getByRole('region', { name: 'Tòa soạn trả lời' })).toContainText('Chào bạn, cầu sẽ không thu phí.');
  expect(await statuses(page, base, A.reply)).toEqual({ [id]: 'published' });

  const list = await publicList(request, base, A.reply);
  expect(list.items).toHaveLength(1);
  expect(list.items[0].id).toBe(id);
  expect(list.items[0].replies.map((r) => r.message)).toEqual(['Chào bạn, cầu sẽ không thu phí.\nTrân trọng, tòa soạn.']);
  expect(JSON.stringify(list)).not.toContain('tam@example.vn'); // emails stay on the desk
});

test('undo: u, Ctrl+Z and the Hoàn tác button put back the previous status, a deletion and a reply', async ({ page }) => {
  await desk(page, 'undo');
  const [older, newer] = ID.undo;
  const check = async (expected) => expect.poll(() => statuses(page, base, A.undo)).toEqual(expected);
  const pending = { [older]: 'pending', [newer]: 'pending' };

  await page.keyboard.press('a');
  await expect(status(page)).toHaveText(/^Đã duyệt/);
  await check({ ...pending, [newer]: 'published' });
  await page.keyboard.press('u');
  await expect(status(page)).toHaveText(/^Đã hoàn tác thao tác “Duyệt”/);
  await check(pending);
  await focusedOn(page, newer); // back in the queue, and current again

  await itemById(page, newer).getByRole('button', { name: 'Từ chối', exact: true }).click();
  await check({ ...pending, [newer]: 'rejected' });
  await page.getByRole('button', { name: 'Hoàn tác' }).click();
  await expect(status(page)).toHaveText(/^Đã hoàn tác thao tác “Từ chối”/);
  await check(pending);

  await itemById(page, older).focus();
  await page.keyboard.press('s');
  await check({ ...pending, [older]: 'spam' });
  await page.keyboard.press('Control+z');
  await expect(status(page)).toHaveText(/^Đã hoàn tác thao tác “Đánh dấu rác”/);
  await check(pending);

  await itemById(page, older).focus();
  await page.keyboard.press('d');
  await expect(status(page)).toHaveText(/^Đã xóa 1 phản hồi/);
  await check({ ...pending, [older]: 'deleted' });
  await page.keyboard.press('u');
  await check(pending);

  await itemById(page, newer).getByLabel('Trả lời của tòa soạn').fill('Trả lời sẽ được hoàn tác.');
  await itemById(page, newer).getByRole('button', { name: 'Gửi trả lời' }).click();
  await expect(status(page)).toHaveText(/^Đã gửi trả lời/);
  await expect.poll(async () => (await adminList(page, base, 'pending', A.undo)).items.flatMap((i) => i.replies)).toHaveLength(1);
  await page.keyboard.press('u');
  await expect(status(page)).toHaveText(/^Đã hoàn tác trả lời/);
  await expect.poll(async () => (await adminList(page, base, 'pending', A.undo)).items.flatMap((i) => i.replies)).toHaveLength(0);
  await expect(itemById(page, newer).locator('.reply-message')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Hoàn tác' })).toBeDisabled();
});

test('logout returns to the login form and ends the session on the server', async ({ page }) => {
  test.slow(); // it may have to wait out the server's login limit (5 a minute per address)
  const token = await addModerator(database, 'Người Đăng Xuất');
  await login(page, base, token);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page.getByLabel('Mã đăng nhập')).toBeFocused();
  await expect(page.getByText('Đã đăng xuất.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Chờ duyệt' })).toBeHidden();
  expect((await page.request.get(`${base}/api/v1/admin/session`)).status()).toBe(401);
  expect((await page.request.get(`${base}/api/v1/admin/feedback?status=pending`)).status()).toBe(401);
  await page.reload();
  await expect(page.getByLabel('Mã đăng nhập')).toBeVisible();
});

test('the whole moderator flow by keyboard alone: log in, filter, approve, reply, undo, log out', async ({ page, request }) => {
  test.slow(); // it may have to wait out the server's login limit (5 a minute per address)
  const token = await addModerator(database, 'Bàn Phím');
  const [older, newer] = ID.flow;
  await page.goto(`${base}/admin`);
  await expect(page.getByLabel('Mã đăng nhập')).toBeFocused();
  expect(await submitToken(page, token, { typed: true })).toBe(200);
  await expect(page.getByText('Người kiểm duyệt: Bàn Phím')).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Lọc theo bài viết')).toBeFocused();
  await page.keyboard.type(A.flow);
  await page.keyboard.press('Enter');
  await focusedOn(page, newer);
  await page.keyboard.press('j');
  await focusedOn(page, older);
  await page.keyboard.press('a');
  await expect(status(page)).toHaveText(/^Đã duyệt 1 phản hồi/);
  await focusedOn(page, newer);
  await page.keyboard.press('r');
  await expect(status(page)).toHaveText(/^Đã từ chối 1 phản hồi/);
  await page.keyboard.press('u'); // the rejection was a mistake
  await expect(status(page)).toHaveText(/^Đã hoàn tác/);
  await focusedOn(page, newer);

  await page.keyboard.press('2');
  await focusedOn(page, older);
  await page.keyboard.press('t');
  await page.keyboard.type('Cảm ơn bạn đã góp ý.');
  await page.keyboard.press('Control+Enter');
  await expect(status(page)).toHaveText(/^Đã gửi trả lời/);
  await focusedOn(page, older);
  // The item's own buttons are reachable with Tab and work with Enter.
  await page.keyboard.press('Tab');
  await expect(itemById(page, older).getByLabel(/^Chọn phản hồi/)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.locator('#selected-count')).toHaveText('Đã chọn 1 phản hồi');
  await page.keyboard.press('Space');
  await expect(page.locator('#selected-count')).toHaveText('Chưa chọn mục nào');

  const list = await publicList(request, base, A.flow);
  expect(list.items.map((i) => [i.id, i.replies.map((r) => r.message)])).toEqual([[older, ['Cảm ơn bạn đã góp ý.']]]);
  expect(await statuses(page, base, A.flow)).toEqual({ [older]: 'published', [newer]: 'pending' });

  // Back up the page to "Đăng xuất" with Shift+Tab, and out.
  const logout = page.getByRole('button', { name: 'Đăng xuất' });
  for (let i = 0; i < 40 && !(await logout.evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press('Shift+Tab');
  }
  await expect(logout).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Mã đăng nhập')).toBeFocused();
});

test('axe-core finds no violations on the login screen and on the queue; reduced motion turns transitions off', async ({ page }) => {
  test.slow(); // three full-page axe scans
  await page.goto(`${base}/admin`);
  await page.getByLabel('Mã đăng nhập').press('Enter'); // empty: an error, without using up a login attempt
  await expect(page.locator('#login-error')).toHaveText('Hãy nhập mã đăng nhập.');
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  let results = await new AxeBuilder({ page }).withTags(tags).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);

  await desk(page, 'axe');
  const [first] = ID.axe;
  await page.getByLabel('Chọn phản hồi của Lâm Thị Ánh').check();
  await page.getByRole('button', { name: 'Xem nhật ký' }).click();
  await expect(page.locator('#audit-body tr').first()).toBeVisible();
  await itemById(page, first).getByLabel('Trả lời của tòa soạn').fill('Một bản nháp.');
  await page.keyboard.press('Escape');
  await focusedOn(page, first);
  results = await new AxeBuilder({ page }).withTags(tags).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(0);

  // The spam view, with the server's reasons.
  await page.getByRole('button', { name: /^Rác/ }).click();
  await expect(queue(page).filter({ hasText: 'Quách Văn Bảo' }).locator('.item-reasons')).toBeVisible();
  results = await new AxeBuilder({ page }).withTags(tags).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  const duration = await page.getByRole('button', { name: 'Làm mới' }).evaluate((b) => getComputedStyle(b).transitionDuration);
  expect(duration.split(',').every((d) => parseFloat(d) === 0)).toBe(true);
});

test('CSP: /admin is served with frame-ancestors none and script-src self, and the desk runs without a violation', async ({ page }) => {
  const seen = await watchAdmin(page);
  const res = await page.request.get(`${base}/admin`);
  expect(res.status()).toBe(200);
  const csp = res.headers()['content-security-policy'] || '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');

  await desk(page, 'csp');
  await page.keyboard.press('a');
  await expect(status(page)).toHaveText(/^Đã duyệt/);
  await page.keyboard.press('u');
  await expect(status(page)).toHaveText(/^Đã hoàn tác/);
  await page.keyboard.press('t');
  await page.keyboard.type('Trả lời dưới CSP.');
  await page.keyboard.press('Control+Enter');
  await expect(status(page)).toHaveText(/^Đã gửi trả lời/);
  await page.getByRole('button', { name: 'Xem nhật ký' }).click();
  const audit = page.locator('#audit-body');
  await expect(audit).toContainText(SHARED);
  await expect(audit).toContainText('duyệt');
  await page.keyboard.press('5');
  await expect(page.getByRole('heading', { level: 2, name: /^Đã xóa/ })).toBeVisible();

  expect(await page.locator('[style]').count()).toBe(0); // no inline styles
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await seen.violations()).toEqual([]);
  expect(seen.csp).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('markup in feedback is shown as text and never runs; only http(s) and path article keys are links', async ({ page }) => {
  const seen = await watchAdmin(page);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await desk(page, 'xss');
  const [one, two, long] = ID.xss;
  await expect(queue(page)).toHaveCount(3);
  await expect(itemById(page, one).locator('.item-name')).toHaveText(plan.xss[0].name);
  await expect(itemById(page, one).locator('.item-email')).toHaveText(plan.xss[0].email);
  await expect(itemById(page, one).locator('.item-message')).toHaveText(plan.xss[0].message);
  await expect(itemById(page, two).locator('.item-message')).toHaveText(plan.xss[1].message);
  // Nothing was parsed as markup: no element the payloads name exists in the queue.
  expect(await page.locator('#items').locator('img, script, svg, iframe, b, a[href^="javascript"]').count()).toBe(0);
  // Very long words wrap inside the item instead of widening the page.
  const fits = await itemById(page, long).evaluate((li) => li.scrollWidth <= li.clientWidth + 1);
  expect(fits).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // Acting on them is just as inert.
  await page.keyboard.press('a');
  await expect(status(page)).toHaveText(/^Đã duyệt/);

  await filterArticle(page, A.xssJs);
  await expect(queue(page)).toHaveCount(1);
  await expect(queue(page).locator('.item-article')).toContainText(A.xssJs);
  await expect(queue(page).locator('.item-article a')).toHaveCount(0);

  await filterArticle(page, A.xssHttp);
  await expect(queue(page).getByRole('link', { name: A.xssHttp })).toHaveAttribute('href', new URL(A.xssHttp).href);
  await filterArticle(page, A.xssPath);
  await expect(queue(page).getByRole('link', { name: A.xssPath })).toHaveAttribute('href', A.xssPath);

  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
  expect(seen.errors).toEqual([]);
});

test('errors: a failed send keeps the typed reply and says why; a lost session goes back to login and keeps it; 429 says how long to wait', async ({ page, context }) => {
  test.slow(); // it may have to wait out the server's login limit (5 a minute per address)
  // Its own session: this test ends it.
  await login(page, base, await addModerator(database, 'Người Gặp Lỗi'));
  await filterArticle(page, A.errors);
  const [older, newer] = ID.errors;
  const box = itemById(page, newer).getByLabel('Trả lời của tòa soạn');
  await box.fill('Câu trả lời không được mất.');

  await context.route('**/api/v1/admin/replies', (route) => route.abort('internetdisconnected'));
  await itemById(page, newer).getByRole('button', { name: 'Gửi trả lời' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Chưa gửi được trả lời: không kết nối được máy chủ/);
  await expect(box).toHaveValue('Câu trả lời không được mất.');
  await context.unroute('**/api/v1/admin/replies');

  await context.route('**/api/v1/admin/feedback/actions', (route) => route.fulfill({
    status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"internal server error"}}',
  }));
  await itemById(page, older).focus();
  await page.keyboard.press('a');
  await expect(page.getByRole('alert')).toHaveText(/Chưa duyệt được: máy chủ gặp lỗi \(500\)/);
  await expect(itemById(page, older)).toBeVisible(); // nothing moved
  await context.unroute('**/api/v1/admin/feedback/actions');
  expect(await statuses(page, base, A.errors)).toEqual({ [older]: 'pending', [newer]: 'pending' });

  // The session ends behind the page's back (here: logged out from another tab).
  const session = await (await page.request.get(`${base}/api/v1/admin/session`)).json();
  expect((await page.request.post(`${base}/api/v1/admin/logout`, { headers: { 'x-bangtin-csrf': session.csrf } })).status()).toBe(204);
  await itemById(page, older).focus();
  await page.keyboard.press('a');
  await expect(page.getByText(/Phiên đăng nhập đã hết hạn/)).toBeVisible();
  await expect(page.getByLabel('Mã đăng nhập')).toBeFocused();
  expect(await submitToken(page, await addModerator(database, 'Người Gặp Lỗi 2'))).toBe(200);
  await expect(page.getByText('Người kiểm duyệt: Người Gặp Lỗi 2')).toBeVisible();
  await expect(box).toHaveValue('Câu trả lời không được mất.'); // still there after logging in again
  await itemById(page, newer).getByRole('button', { name: 'Gửi trả lời' }).click();
  await expect(status(page)).toHaveText(/^Đã gửi trả lời/);

  // Too many failed logins: the server's Retry-After is shown.
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await context.route('**/api/v1/admin/login', (route) => route.fulfill({
    status: 429, headers: { 'retry-after': '42' }, contentType: 'application/json',
    body: '{"error":{"code":"too_many_attempts","message":"too many failed logins"}}',
  }));
  await page.getByLabel('Mã đăng nhập').fill('bat-ky-ma-nao-0123456789');
  await page.keyboard.press('Enter');
  await expect(page.locator('#login-error')).toHaveText('Đã thử đăng nhập quá nhiều lần. Vui lòng chờ 42 giây rồi thử lại.');
});

test('export: "Xuất JSON" and "Xuất CSV" download every item, with its email, for the records', async ({ page }) => {
  await desk(page, 'exports');
  const [id] = ID.exports;
  for (const [label, check] of [
    ['Xuất JSON', (body) => { JSON.parse(body); }],
    ['Xuất CSV', (body) => { expect(body.split('\n').length).toBeGreaterThan(1); }],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label }).click()]);
    const body = readFileSync(await download.path(), 'utf8');
    check(body);
    expect(body).toContain(id);
    expect(body).toContain('xuat@example.vn');
    expect(download.suggestedFilename()).toMatch(label.endsWith('JSON') ? /\.json$/ : /\.csv$/);
  }
});
