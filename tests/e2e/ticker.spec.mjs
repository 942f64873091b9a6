// The ticker ("Tin mới cập nhật") in Chromium against the real server and its demo feeds
// (www/feeds): headlines that link to their articles, the pause button, keyboard focus and
// reduced motion (WCAG 2.2.2), a breaking item from the moderation desk within one refresh,
// conditional refreshes, and axe-core in both languages. Pages come from the host site, with
// its careful CSP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { BANGTIN, HOST, watch } from './helpers.mjs';
import { apiLogin } from './admin-helpers.mjs';
import { addModerator, startServer } from './servers.mjs';

const b64 = (text) => Buffer.from(text).toString('base64url');

/** A host page with a button before and after `ticker` (markup), the loader of `bangtin`. */
function tickerPage(ticker, bangtin = BANGTIN()) {
  const url = new URL(`${HOST()}/hostile.html`);
  url.searchParams.set('head', b64(`<script src="${bangtin}/bangtin.js" async></script>`));
  url.searchParams.set('body', b64(`<button id="before" type="button">Trước</button>${ticker}<button id="after" type="button">Sau</button>`));
  url.searchParams.set('bangtin', bangtin);
  return url.href;
}

const ticker = (attrs = '') =>
  `<bangtin-ticker id="w" feed="tin-moi" ${attrs}><p class="fallback">Tin mới cập nhật</p></bangtin-ticker>`;

/** The feed as the server gives it to any widget. */
async function serverNews(request, feed, base = BANGTIN()) {
  const res = await request.get(`${base}/api/v1/news?${new URLSearchParams({ feed, limit: '10' })}`);
  expect(res.status()).toBe(200);
  return res.json();
}

/** The play states of every animation in the widget's shadow root. */
const playStates = (widget) => widget.evaluate((el) => el.shadowRoot.getAnimations().map((a) => a.playState));

/** Where the marquee's track is now (its transform moves it). */
const trackX = async (widget) => (await widget.locator('.track').boundingBox()).x;

test('headlines appear and link to their articles', async ({ page, request }) => {
  const seen = watch(page);
  await page.goto(tickerPage(ticker('mode="list"')));
  const widget = page.locator('#w');
  const news = await serverNews(request, 'tin-moi');
  const items = news.items.filter((i) => !i.breaking);
  expect(items.length).toBeGreaterThan(2);
  await expect(widget.locator('.view li')).toHaveCount(items.length);
  await expect(widget.locator('.label')).toHaveText('Tin mới cập nhật');
  const links = await widget.locator('.view a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  expect(links).toEqual(items.map((i) => [i.title, i.url]));
  await expect(widget.locator('.fallback')).toBeHidden();
  // A real link: a reader (or Enter) follows it to the article.
  const link = widget.locator('.view a').first();
  await page.route('https://bao-mau.example/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Bài viết</title>' }));
  await link.click();
  await expect(page).toHaveURL(items[0].url);
  expect(seen.errors).toEqual([]);
});

test('the pause button stops the marquee (positions unchanged over two seconds) and play resumes it', async ({ page }) => {
  const seen = watch(page);
  await page.goto(tickerPage(ticker('speed="120"')));
  const widget = page.locator('#w');
  await expect(widget.locator('.track li').first()).toBeVisible();
  const start = await trackX(widget);
  await expect.poll(() => trackX(widget)).not.toBe(start); // it moves
  await widget.getByRole('button', { name: 'Tạm dừng' }).click();
  await expect(widget.getByRole('button', { name: 'Tiếp tục' })).toBeVisible();
  expect(await playStates(widget)).toEqual(['paused']);
  const paused = await trackX(widget);
  await page.waitForTimeout(2000); // the criterion itself: two seconds without motion
  expect(await trackX(widget)).toBe(paused);
  await widget.getByRole('button', { name: 'Tiếp tục' }).click();
  await expect(widget.getByRole('button', { name: 'Tạm dừng' })).toBeVisible();
  await expect.poll(() => trackX(widget)).not.toBe(paused);
  expect(seen.errors).toEqual([]);
});

test('keyboard focus on a headline pauses the marquee; Tab goes through the headlines and out', async ({ page }) => {
  await page.goto(tickerPage(ticker()));
  const widget = page.locator('#w');
  await expect(widget.locator('.track li').first()).toBeVisible();
  const links = await widget.locator('.track ul:not([inert]) a').count();
  expect(links).toBeGreaterThan(0);
  await page.locator('#before').focus();
  await page.keyboard.press('Tab');
  await expect(widget.locator('.track ul:not([inert]) a').first()).toBeFocused();
  await expect.poll(() => playStates(widget)).toEqual(['paused']);
  // The copy that makes the loop seamless is never reached: the headlines once, the button, out.
  for (let i = 1; i < links; i++) await page.keyboard.press('Tab');
  await expect(widget.locator('.track ul:not([inert]) a').last()).toBeFocused();
  expect(await playStates(widget)).toEqual(['paused']);
  await page.keyboard.press('Tab');
  await expect(widget.getByRole('button', { name: 'Tạm dừng' })).toBeFocused();
  await expect.poll(() => playStates(widget)).toEqual(['running']);
  await page.keyboard.press('Tab');
  await expect(page.locator('#after')).toBeFocused();
});

test('with reduced motion nothing animates: a still list, no pause button needed', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(tickerPage(ticker('mode="scroll"')));
  const widget = page.locator('#w');
  await expect(widget.locator('.view.list li').first()).toBeVisible();
  await expect(widget.locator('.track')).toHaveCount(0);
  await expect(widget.getByRole('button')).toBeHidden();
  expect(await playStates(widget)).toEqual([]);
  const boxes = () => widget.locator('li').evaluateAll((lis) => lis.map((li) => {
    const r = li.getBoundingClientRect();
    return [r.x, r.y, getComputedStyle(li).transform];
  }));
  const before = await boxes();
  await page.waitForTimeout(1000);
  expect(await boxes()).toEqual(before);
  expect(before.every(([, , transform]) => transform === 'none')).toBe(true);
  // The reader's setting can change while the page is open: motion comes back.
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await expect(widget.locator('.track')).toHaveCount(1);
  await expect.poll(() => playStates(widget)).toEqual(['running']);
});

test('fade mode shows one headline at a time and moves on', async ({ page }) => {
  await page.goto(tickerPage(ticker('mode="fade" interval="2"')));
  const widget = page.locator('#w');
  await expect(widget.locator('.fade li.on')).toHaveCount(1);
  const first = await widget.locator('.fade li.on').textContent();
  await expect(widget.locator('.fade li.on')).not.toHaveText(first, { timeout: 5000 });
  await widget.locator('.fade li.on a').focus();
  const held = await widget.locator('.fade li.on').textContent();
  await page.waitForTimeout(2500); // longer than the interval
  await expect(widget.locator('.fade li.on')).toHaveText(held);
});

for (const lang of ['vi', 'en']) {
  for (const mode of ['scroll', 'list']) {
    test(`axe-core finds no violations (${lang}, ${mode})`, async ({ page }) => {
      await page.goto(tickerPage(ticker(`lang="${lang}" mode="${mode}"`)));
      const widget = page.locator('#w');
      await expect(widget.locator('.view li').first()).toBeVisible();
      await expect(widget.locator('.label')).toHaveText(lang === 'vi' ? 'Tin mới cập nhật' : 'Latest news');
      const results = await new AxeBuilder({ page })
        .include('#w')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      expect(results.passes.length).toBeGreaterThan(0);
    });
  }
}

test.describe('breaking news from the desk', () => {
  let server;
  let dir;
  let database;

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bangtin-ticker-'));
    database = `sqlite://${join(dir, 'ticker.db')}`;
    server = await startServer({ allowed: [HOST()], database });
  });

  test.afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a pinned breaking item posted through the admin API leads the ticker within one refresh; refreshes are conditional', async ({ page }) => {
    test.setTimeout(60_000);
    const seen = watch(page);
    const news = [];
    page.on('response', async (r) => {
      if (!r.url().includes('/api/v1/news')) return;
      const sizes = await r.request().sizes();
      news.push({ etag: await r.headerValue('etag'), inm: await r.request().headerValue('if-none-match'), body: sizes.responseBodySize });
    });
    await page.goto(tickerPage(ticker('mode="list" refresh="5"'), server.url));
    const widget = page.locator('#w');
    await expect(widget.locator('.view li').first()).toBeVisible();
    await expect(widget.locator('.pin li')).toHaveCount(0);
    // Two refreshes of an unchanged feed: the second revalidates what the first got.
    await expect.poll(() => news.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    // (The page sees a 200 either way: the browser answers a 304 from its copy.)
    expect(news[0].etag).toBeTruthy();
    expect(news[0].body).toBeGreaterThan(0);
    expect(news[1].inm).toBe(news[0].etag);
    expect(news[1].body).toBe(0); // a 304: no body came over the network

    const token = await addModerator(database);
    await apiLogin(page.request, server.url, token);
    const session = await (await page.request.get(`${server.url}/api/v1/admin/session`)).json();
    const title = `Tin nóng: bão số 9 đổ bộ ${Date.now().toString(36)}`;
    const res = await page.request.post(`${server.url}/api/v1/admin/breaking`, {
      data: { title, url: 'https://bao-mau.example/tin-nong/bao-so-9.html', feed: 'tin-moi', pinned: true, expires_at: Date.now() + 3_600_000 },
      headers: { 'x-bangtin-csrf': session.csrf, origin: server.url },
    });
    expect(res.status(), await res.text()).toBe(201);
    const asked = news.length;
    const first = widget.locator('li').first();
    await expect(first).toContainText(title, { timeout: 5_000 + 3_000 });
    expect(news.length).toBeLessThanOrEqual(asked + 1); // within one refresh
    await expect(first.locator('.hot')).toHaveText('Nóng');
    await expect(first.locator('a')).toHaveAttribute('href', 'https://bao-mau.example/tin-nong/bao-so-9.html');
    expect(seen.errors).toEqual([]);
  });
});
