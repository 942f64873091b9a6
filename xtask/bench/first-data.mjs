// `cargo xtask bench`, browser section: how long a reader waits for a widget's first data, and
// what the widgets cost the page. Drives Debian's Chromium with Playwright against the real
// server (the binary in BANGTIN_SERVER_BIN, the bundle in pkg/) and a host newspaper on a second
// loopback origin; prints one JSON object on stdout for xtask to turn into BENCHMARKS.md.
//
// For each network (loopback as it is, and Chromium's DevTools emulation adding 150 ms to every
// request) and each cache state (cold: a fresh browser context; warm: the same context, second
// visit), RUNS page loads of a newspaper article with one rating above the fold. "First data" is
// the time from navigation start to the first animation frame in which the widget shows its
// counts. The last run of each also gives the request waterfall. Long tasks and cumulative
// layout shift are measured on the same page with and without the widgets. The network floor is
// the same article with a ten-line script in place of bangtin (tests/e2e/host/floor.js) that makes
// the loader's requests at the loader's moment and nothing else: what the network and the browser
// cost before any of bangtin's own work.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { ROOT, startHost, startServer } from '../../tests/e2e/servers.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 9);
const RTT = 150;

// Watches, from before the page's own scripts: the frame in which the widget shows its counts,
// long tasks and layout shifts.
function instrument() {
  const bt = (window.__bt = { ready: 0, long: [], cls: 0 });
  const frame = () => {
    const el = document.getElementById('w');
    if (el?.shadowRoot?.querySelector('[data-phase=ready]')) bt.ready = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => list.getEntries().forEach((e) => bt.long.push(e.duration)))
    .observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => { if (!e.hadRecentInput) bt.cls += e.value; }))
    .observe({ type: 'layout-shift', buffered: true });
}

async function newPage(browser, emulate) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(instrument);
  if (emulate) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: RTT, downloadThroughput: -1, uploadThroughput: -1,
    });
  }
  return { context, page };
}

/** Loads `url` and resolves to the first-data time, the page's first paint, and the request
 * waterfall. */
async function visit(page, url) {
  const requests = [];
  const onDone = (r) => requests.push(r);
  page.on('requestfinished', onDone);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bt.ready > 0, null, { timeout: 30_000 });
  const origin = await page.evaluate(() => performance.timeOrigin);
  const ready = await page.evaluate(() => window.__bt.ready);
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime || 0);
  page.off('requestfinished', onDone);
  const waterfall = requests.map((r) => {
    const t = r.timing();
    const start = t.startTime - origin;
    return { url: shorten(r.url()), start: round(start), end: round(start + t.responseEnd) };
  }).sort((a, b) => a.start - b.start);
  return { ready, paint, waterfall };
}

const round = (x) => Math.round(x * 10) / 10;
const shorten = (u) => {
  const url = new URL(u);
  const path = url.pathname.replace(/[0-9a-f]{12}/, '…');
  return (url.port ? `:${url.port}` : '') + path + (url.search ? '?…' : '');
};

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { runs: sorted.length, median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]) };
}

async function firstData(browser, url, emulate) {
  const cold = [];
  const warm = [];
  const coldPaint = [];
  const warmPaint = [];
  let coldWaterfall;
  let warmWaterfall;
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await newPage(browser, emulate);
    const first = await visit(page, url);
    cold.push(first.ready);
    coldPaint.push(first.paint);
    coldWaterfall = first.waterfall;
    const again = await visit(page, url);
    warm.push(again.ready);
    warmPaint.push(again.paint);
    warmWaterfall = again.waterfall;
    await context.close();
  }
  return {
    cold: stats(cold), warm: stats(warm),
    coldPaint: stats(coldPaint), warmPaint: stats(warmPaint),
    coldWaterfall, warmWaterfall,
  };
}

/** Long tasks and layout shift over the page's first `ms` milliseconds after load. */
async function pageCost(browser, url, ms) {
  const long = [];
  const cls = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await newPage(browser, false);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(ms);
    const bt = await page.evaluate(() => window.__bt);
    long.push(bt.long.reduce((a, b) => a + b, 0));
    cls.push(bt.cls);
    await context.close();
  }
  return { longTaskMs: stats(long), cls: stats(cls) };
}

const host = await startHost();
const server = await startServer({ allowed: [host.url] });
process.env.BANGTIN_URL = server.url;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = (name) => `${host.url}/${name}?article=bench/first-data&bangtin=${encodeURIComponent(server.url)}`;
  const pkg = readdirSync(join(ROOT, 'pkg'));
  const hashed = (ext) => pkg.find((f) => new RegExp(`^bangtin\\.[0-9a-f]{12}\\.${ext}$`).test(f));
  const floor = `${page('floor.html')}&wasm=${hashed('wasm')}&glue=${hashed('js')}`;
  const result = {
    runs: RUNS,
    rtt: RTT,
    loopback: await firstData(browser, page('article.html'), false),
    emulated: await firstData(browser, page('article.html'), true),
    floor: {
      loopback: await firstData(browser, floor, false),
      emulated: await firstData(browser, floor, true),
    },
    withWidgets: await pageCost(browser, page('article.html'), 1500),
    withoutWidgets: await pageCost(browser, page('article-plain.html'), 1500),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await browser.close();
  await server.stop();
  await host.stop();
}
