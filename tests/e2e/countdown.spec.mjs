// The countdown banner against the real server, on a fixed clock and time zone (Playwright's
// clock emulation, `timezoneId`): before, on and after the day; a reader's clock hours wrong; a
// tab hidden for an hour; dismissal across reloads and versions; reduced motion; axe-core.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { BANGTIN, HOST, watch } from './helpers.mjs';

// The reader is in New York: what the banner shows must not depend on the device's time zone.
test.use({ timezoneId: 'America/New_York', locale: 'en-US' });

const b64 = (text) => Buffer.from(text).toString('base64url');

/** A page (on the host site, careful CSP) with `body` and the loader. */
function pageWith(body) {
  const url = new URL(`${HOST()}/hostile.html`);
  url.searchParams.set('head', b64(`<script src="${BANGTIN()}/bangtin.js" async></script>`));
  url.searchParams.set('body', b64(body));
  return url.href;
}

/** A banner with these attributes (values are the tests' own, never markup). */
const banner = (attrs) =>
  `<bangtin-countdown id="cd" ${Object.entries(attrs).map(([k, v]) => `${k}="${v}"`).join(' ')}><p class="fallback">Đếm ngược</p></bangtin-countdown>`;

/** Vietnam time as a Date. */
const vn = (text) => new Date(`${text}+07:00`);

/**
 * Loads `attrs` with the page clock stopped at `at` (a Date). The server's time is refused, so
 * the page's clock is the truth (the skew test below uses the server's).
 */
async function open(page, attrs, at) {
  await page.route('**/api/v1/time', (route) => route.abort());
  await page.clock.install({ time: at.getTime() - 60e3 });
  await page.clock.pauseAt(at);
  await page.goto(pageWith(banner(attrs)));
  const widget = page.locator('#cd');
  await expect(widget.locator('.panel')).toBeAttached();
  return widget;
}

/** The clock's four numbers, as the reader sees them. */
const shown = (widget) => widget.locator('.n').allTextContents();

test('before the day: days, hours, minutes and seconds to 30/4 and its date, one tick a second', async ({ page }) => {
  const seen = watch(page);
  const widget = await open(page, { every: '04-30' }, vn('2027-04-27T08:30:15'));
  await expect(widget.locator('.clock')).toHaveText('2ngày15giờ29phút45giây');
  await expect(widget.locator('.title')).toHaveText('Kỷ niệm 30/4');
  await expect(widget.locator('.when')).toHaveText('Thứ Sáu, 30/4/2027');
  await expect(widget.getByRole('timer')).toHaveAttribute('aria-label', 'Thời gian còn lại đến Thứ Sáu, 30/4/2027');
  await page.clock.runFor(1000);
  await expect(widget.locator('.clock')).toHaveText('2ngày15giờ29phút44giây');
  await page.clock.runFor(2000);
  expect(await shown(widget)).toEqual(['2', '15', '29', '42']);
  expect(seen.errors).toEqual([]);
});

test('on the day: the message replaces the clock, announced once; then it counts to next year', async ({ page }) => {
  const seen = watch(page);
  const widget = await open(page, { every: '04-30', message: 'Mừng ngày thống nhất!' }, vn('2027-04-29T23:59:58'));
  const status = widget.getByRole('status');
  expect(await shown(widget)).toEqual(['0', '00', '00', '02']);
  await expect(widget.locator('[role=status]')).toHaveText('');
  await page.clock.runFor(1000);
  expect(await shown(widget)).toEqual(['0', '00', '00', '01']);
  await page.clock.runFor(1000);
  await expect(status).toHaveText('Mừng ngày thống nhất!');
  await expect(widget.getByRole('timer')).toBeHidden();
  // The whole day (the default window), then next year's 30/4 (2028 is a leap year).
  await page.clock.runFor('23:59:59');
  await expect(status).toHaveText('Mừng ngày thống nhất!');
  await page.clock.runFor(2000);
  await expect(widget.locator('[role=status]')).toHaveText('');
  expect(await shown(widget)).toEqual(['364', '23', '59', '59']);
  await expect(widget.locator('.when')).toHaveText('Chủ Nhật, 30/4/2028');
  expect(seen.errors).toEqual([]);
});

test('after a one-off moment: count up, hide, or keep the message, as configured', async ({ page }) => {
  const to = '2027-04-30T20:00:00+07:00';
  const widget = await open(page, { to, window: '1h', after: 'count-up', lang: 'en' }, vn('2027-04-30T19:59:59'));
  await expect(widget.locator('.when')).toHaveText('Friday, 30 April 2027 at 20:00');
  await expect(widget.locator('.clock')).toHaveText('0days00hours00minutes01second');
  await page.clock.runFor(1000);
  await expect(widget.getByRole('status')).toHaveText('The day is here!');
  await page.clock.runFor('01:00:01');
  await expect(widget.getByRole('timer')).toHaveAttribute('aria-label', 'Time since Friday, 30 April 2027 at 20:00');
  expect(await shown(widget)).toEqual(['0', '01', '00', '01']);
  await expect(widget.locator('.clock')).toHaveText('0days01hour00minutes01second');
});

test('after a one-off moment with after="hide" the banner goes away', async ({ page }) => {
  const widget = await open(page, { to: '2027-04-30T20:00:00+07:00', window: '0', after: 'hide' }, vn('2027-04-30T19:59:58'));
  await expect(widget.locator('.panel')).toBeVisible();
  await page.clock.runFor(2000);
  await expect(widget.locator('.panel')).toBeHidden();
});

test('a reader whose clock is hours wrong still sees the right time to Tết (the server\'s)', async ({ page }) => {
  const seen = watch(page);
  // Five hours and a bit fast; the page clock runs on from there.
  await page.clock.install({ time: new Date(Date.now() + 5 * 3600e3 + 1234) });
  await page.goto(pageWith(banner({ lunar: '01-01', lang: 'en' })));
  const widget = page.locator('#cd');
  await expect(widget.getByRole('timer')).toHaveAttribute('aria-label', /^Time left until Day 1 of Tết, year of /);
  // The next Tết after today, from the server's side of the truth: this machine's clock.
  const tet = await page.request.get(`${BANGTIN()}/api/v1/time`).then((r) => r.json());
  expect(Math.abs(tet.now - Date.now())).toBeLessThan(5000);
  const target = nextTet(Date.now());
  await expect.poll(async () => {
    const [d, h, m, s] = (await shown(widget)).map(Number);
    const left = ((d * 24 + h) * 60 + m) * 60 + s;
    return Math.abs(left - (target - Date.now()) / 1000);
  }).toBeLessThan(3);
  expect(seen.count('/api/v1/time')).toBe(1);
  expect(seen.errors).toEqual([]);
});

/** Tết (00:00 in Vietnam) of the next lunar new year after `now`, from published dates. */
function nextTet(now) {
  const tets = ['2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'];
  return tets.map((d) => vn(`${d}T00:00:00`).getTime()).find((t) => t > now);
}

test('a tab hidden for an hour: no ticks while hidden, one correct value when shown, no burst', async ({ page }) => {
  const seen = watch(page);
  const widget = await open(page, { every: '04-30' }, vn('2027-04-27T08:30:15'));
  expect(await shown(widget)).toEqual(['2', '15', '29', '45']);
  // Count every change of the numbers from here on.
  await page.evaluate(() => {
    window.changes = 0;
    const root = document.getElementById('cd').shadowRoot;
    new MutationObserver((records) => (window.changes += records.length))
      .observe(root.querySelector('.clock'), { subtree: true, childList: true, characterData: true });
  });
  const setHidden = (hidden) => page.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  await page.clock.runFor('01:00:00');
  expect(await page.evaluate(() => window.changes)).toBe(0);
  expect(await shown(widget)).toEqual(['2', '15', '29', '45']);
  await setHidden(false);
  expect(await shown(widget)).toEqual(['2', '14', '29', '45']);
  // One render: the hours number changed once (and nothing else).
  expect(await page.evaluate(() => window.changes)).toBe(1);
  await page.clock.runFor(1000);
  expect(await shown(widget)).toEqual(['2', '14', '29', '44']);
  expect(seen.errors).toEqual([]);
});

test('off-screen it does not tick; scrolled into view it shows the present', async ({ page }) => {
  await page.route('**/api/v1/time', (route) => route.abort());
  const at = vn('2027-04-27T08:30:15');
  await page.clock.install({ time: at.getTime() - 60e3 });
  await page.clock.pauseAt(at);
  await page.goto(pageWith(`<div id="top" style="height:300vh">Bài viết</div>${banner({ every: '04-30' })}`));
  const widget = page.locator('#cd');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.getByRole('timer')).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  // Wait for the observer to say it left the viewport: then an hour passes without a tick.
  await expect.poll(async () => {
    const before = (await shown(widget)).join(':');
    await page.clock.runFor(1000);
    return before === (await shown(widget)).join(':');
  }).toBe(true);
  const frozen = await shown(widget);
  await page.clock.runFor('01:00:00');
  expect(await shown(widget)).toEqual(frozen);
  await widget.scrollIntoViewIfNeeded();
  await expect.poll(() => shown(widget)).not.toEqual(frozen);
  expect(Number((await shown(widget))[1])).toBe(14);
});

test('dismissal persists across reloads, per banner id; a new version shows again', async ({ page }) => {
  const seen = watch(page);
  const attrs = { lunar: '01-01', version: 'tet-2027' };
  const widget = await open(page, attrs, vn('2027-01-10T09:00:00'));
  await expect(widget.locator('.when')).toHaveText('Mùng 1 Tết Đinh Mùi (Thứ Bảy, 6/2/2027)');
  await widget.getByRole('button', { name: 'Ẩn' }).click();
  await expect(widget.locator('.panel')).toBeHidden();
  expect(await page.evaluate(() => localStorage.getItem('bangtin:countdown:cd'))).toBe('tet-2027');
  await page.reload();
  await expect(widget.locator('.panel')).toBeAttached();
  await expect(widget.locator('.panel')).toBeHidden();
  await page.goto(pageWith(banner({ ...attrs, version: 'tet-2028' })));
  await expect(widget.getByRole('timer')).toBeVisible();
  expect(seen.errors).toEqual([]);
});

test('storage that throws: the banner still shows and dismisses', async ({ page }) => {
  const seen = watch(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  const widget = await open(page, { every: '09-02' }, vn('2027-08-01T00:00:00'));
  await expect(widget.locator('.title')).toHaveText('Quốc khánh 2/9');
  await widget.getByRole('button', { name: 'Ẩn' }).click();
  await expect(widget.locator('.panel')).toBeHidden();
  expect(seen.errors).toEqual([]);
});

test('prefers-reduced-motion: no animation', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const widget = await open(page, { every: '04-30' }, vn('2027-04-27T08:30:15'));
  const animation = () => widget.locator('.clock').evaluate((el) => getComputedStyle(el).animationName);
  expect(await animation()).toBe('bangtin-in');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await animation()).toBe('none');
});

for (const lang of ['vi', 'en']) {
  test(`axe-core finds no violations in the banner (${lang}), before and on the day`, async ({ page }) => {
    // axe needs timers: this clock runs (from five minutes before Tết).
    await page.route('**/api/v1/time', (route) => route.abort());
    await page.clock.install({ time: vn('2027-02-05T23:55:00') });
    const title = lang === 'vi' ? 'Đếm ngược Tết Đinh Mùi' : 'Countdown to Tết';
    await page.goto(pageWith(banner({ lunar: '01-01', lang, href: '/tet', title })));
    const widget = page.locator('#cd');
    const check = async () => {
      const results = await new AxeBuilder({ page })
        .include('#cd')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      expect(results.passes.length).toBeGreaterThan(0);
    };
    await expect(widget.getByRole('timer')).toBeVisible();
    await check();
    await page.clock.fastForward('05:00');
    await expect(widget.getByRole('status')).not.toBeEmpty();
    await expect(widget.getByRole('timer')).toBeHidden();
    await check();
  });
}
