// Helpers for the moderation desk tests: feedback sent the way a reader's widget sends it, the
// desk's own API seen through the logged-in page, and the login itself.
import { randomBytes } from 'node:crypto';
import { expect } from '@playwright/test';

/** The least time between a form being shown and sent (crates/api MIN_SUBMIT_MS), plus a margin. */
const MIN_SUBMIT_MS = 3_000 + 150;

const hex = () => randomBytes(16).toString('hex');

/**
 * Sends feedback through the public API as readers would: a form token first
 * (`GET /api/v1/feedback?article=…`), then, once the minimum submit time has passed (else the
 * server keeps it as spam), one `POST` per entry, in the order given — so the last one is the
 * newest. `entries`: [{article, name, email?, message}]. Resolves to the ids, in order.
 */
export async function seed(request, base, entries) {
  const articles = [...new Set(entries.map((e) => e.article))];
  const forms = new Map();
  await Promise.all(articles.map(async (article) => {
    const res = await request.get(`${base}/api/v1/feedback?${new URLSearchParams({ article })}`);
    expect(res.status(), await res.text()).toBe(200);
    forms.set(article, (await res.json()).form);
  }));
  // The one fixed wait of these tests: the server's real minimum time between form and send.
  await new Promise((done) => setTimeout(done, MIN_SUBMIT_MS));
  const ids = [];
  for (const e of entries) {
    const id = hex();
    const body = { id, article: e.article, name: e.name, message: e.message, reader: hex(), form: forms.get(e.article), website: '' };
    if (e.email) body.email = e.email;
    const res = await request.post(`${base}/api/v1/feedback`, { data: body });
    expect(res.status(), await res.text()).toBeLessThan(300);
    const answer = await res.json();
    expect(answer.status).toBe('pending');
    ids.push(answer.id || id);
  }
  return ids;
}

/** The published list of an article, as any reader's widget gets it. */
export async function publicList(request, base, article) {
  const res = await request.get(`${base}/api/v1/feedback?${new URLSearchParams({ article })}`);
  expect(res.status()).toBe(200);
  return res.json();
}

/** The desk's list for one status and article, through the page's session. */
export async function adminList(page, base, status, article) {
  const res = await page.request.get(`${base}/api/v1/admin/feedback?${new URLSearchParams({ status, article, limit: '100' })}`);
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

/** Where each id is now: {id: status}, asked of the desk's API through the page's session. */
export async function statuses(page, base, article) {
  const found = {};
  for (const status of ['pending', 'published', 'rejected', 'spam', 'deleted']) {
    for (const item of (await adminList(page, base, status, article)).items) found[item.id] = item.status || status;
  }
  return found;
}

/**
 * Sends `token` through the login form (filled, or typed with the keyboard when `typed`) and
 * resolves to the server's status. The server allows 5 failed login attempts a minute per address,
 * and every test here comes from 127.0.0.1: on a 429 the form must say
 * how long to wait, and this waits that long (the server's real rule) and sends it again.
 */
export async function submitToken(page, token, { typed = false } = {}) {
  const field = page.getByLabel('Mã đăng nhập');
  for (;;) {
    if (typed) await page.keyboard.type(token);
    else await field.fill(token);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/login'));
    await page.keyboard.press('Enter');
    const res = await answer;
    if (res.status() !== 429) return res.status();
    const wait = Number(res.headers()['retry-after']);
    await expect(page.locator('#login-error')).toHaveText(`Đã thử đăng nhập quá nhiều lần. Vui lòng chờ ${wait} giây rồi thử lại.`);
    await expect(field).toBeFocused();
    await page.waitForTimeout(wait * 1000);
  }
}

/** Logs in through the API (same limit and same waiting as [`submitToken`]); resolves to the cookies. */
export async function apiLogin(request, base, token) {
  for (;;) {
    const res = await request.post(`${base}/api/v1/admin/login`, { data: { token } });
    if (res.status() === 429) {
      await new Promise((done) => setTimeout(done, Number(res.headers()['retry-after']) * 1000));
      continue;
    }
    expect(res.status(), await res.text()).toBe(200);
    return (await request.storageState()).cookies;
  }
}

/** Opens /admin and logs in with `token`; waits for the queue. */
export async function login(page, base, token) {
  await page.goto(`${base}/admin`);
  expect(await submitToken(page, token)).toBe(200);
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
}

/** Shows only `article`'s feedback (tests share one server). */
export async function filterArticle(page, article) {
  await page.getByLabel('Lọc theo bài viết').fill(article);
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`bài “${escapeRe(article)}”`) })).toBeVisible();
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The queue's items, in order. */
export const queue = (page) => page.locator('#items > li.item');

/** The item showing the feedback `id`. */
export const itemById = (page, id) => page.locator(`#items > li.item[data-id="${id}"]`);

/** "26/11/2026 13:46" for `ms`, computed independently of the page (Vietnam is UTC+7, no DST). */
export function vietnamTime(ms) {
  const d = new Date(Number(ms) + 7 * 3600 * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** Records CSP violations and script errors (installed before the page's own script runs). */
export async function watchAdmin(page) {
  const seen = { errors: [], csp: [] };
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.csp.push(m.text());
  });
  seen.violations = () => page.evaluate(() => window.__cspViolations || []);
  return seen;
}
