// The widgets' transport, imported by the wasm (`src/api.rs`) and bundled into the glue by the
// build: fetch with a timeout, JSON parsed by the browser, errors sorted into what the widgets
// need to know, and the batched first-data read. It is JavaScript because here JavaScript is
// several times smaller than the same logic compiled to wasm plus its import shims (measured:
// see BENCHMARKS.md), and every byte runs on someone else's page.

/** How long a request may take, body included (ms). */
const TIMEOUT = 10000;

/**
 * `fetch` with a timeout, resolving to `[status, json, retryAfter]`: status 0 when there was no
 * answer (offline, refused, CORS), -1 when it timed out, -2 when `signal` aborted it; `json` is
 * undefined when the body was not JSON. `cache` is fetch's (`'no-cache'`: revalidate). Never rejects.
 */
export async function request(method, url, body, signal, cache) {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), TIMEOUT);
  const cancel = () => stop.abort();
  signal?.addEventListener('abort', cancel);
  try {
    const r = await fetch(url, {
      method,
      mode: 'cors',
      signal: stop.signal,
      cache,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    });
    return [r.status, await r.json().catch(() => undefined), +r.headers.get('retry-after') || 0];
  } catch (e) {
    return [signal?.aborted ? -2 : stop.signal.aborted ? -1 : 0];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

/** Resolves after `ms` milliseconds. */
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** What `promise` resolves to, or undefined if that takes more than the request timeout: a
 * widget never waits forever on the loader's boot request. */
export const within = (promise) => Promise.race([promise, sleep(TIMEOUT)]);

/** The pause before the `attempt`-th retry (0, 1, …): 2 s doubling to a minute, a quarter of
 * jitter so that a page of widgets (or a city of readers) does not retry in step, and never
 * less than the server's `Retry-After` (seconds). */
const backoff = (attempt, retryAfter) =>
  Math.max(retryAfter * 1e3, Math.min(6e4, 2e3 << attempt) * (1 + Math.random() / 4));

const OUTBOX = 'bangtin:outbox';
const waiting = new Map(); // outbox key -> the widget's callback, for writes this page queued
let flushing = 0;
let tries = 0;

const readBox = () => {
  try { return JSON.parse(localStorage.getItem(OUTBOX)) || []; } catch (e) { return []; }
};
const writeBox = (box) => {
  try {
    box.length ? localStorage.setItem(OUTBOX, JSON.stringify(box)) : localStorage.removeItem(OUTBOX);
    return true;
  } catch (e) {
    return false;
  }
};
/** Calls a widget's callback; one whose widget is gone (dropped, so it throws) hears nothing. */
const call = (done, answer) => {
  try { done?.(answer); } catch (e) {}
};
const tell = (key, answer) => {
  const done = waiting.get(key);
  waiting.delete(key);
  call(done, answer);
};

/**
 * A write that outlives a lost connection: `POST url body`. When no answer comes at all
 * (offline, server down), it is kept in the page's localStorage under `key` (a newer write with
 * the same key replaces it), `done([-3])` says so, and it is sent when the network returns:
 * once, whichever tab of the site sends it (a Web Lock lets one tab at a time through).
 * `done` then gets the answer, or `[-4]` when another tab sent it. Without storage, the write
 * simply failed (`done([0])`).
 */
export async function write(url, body, signal, key, done) {
  const answer = await request('POST', url, body, signal);
  if (answer[0] || !writeBox([...readBox().filter((w) => w.key != key), { key, url, body }])) return call(done, answer);
  waiting.set(key, done);
  call(done, [-3]);
  flush();
}

/** The body of the write waiting under `key`, if any; `done` hears when it is sent. */
export function queued(key, done) {
  const body = readBox().find((w) => w.key == key)?.body;
  if (body) waiting.set(key, done);
  return body;
}

/** Sends what the outbox holds, one tab at a time; tries again later while anything is left. */
async function flush() {
  if (flushing) return;
  flushing = 1;
  const send = async () => {
    for (const w of readBox()) {
      const answer = await request('POST', w.url, w.body);
      if (answer[0] < 1) return false; // still no answer: later
      // Sent (or refused for good): out of the box, unless a newer write took its key meanwhile.
      const same = JSON.stringify(w);
      writeBox(readBox().filter((x) => JSON.stringify(x) != same));
      tell(w.key, answer);
    }
    return true;
  };
  const done = await (navigator.locks
    ? navigator.locks.request(OUTBOX, { ifAvailable: true }, (lock) => lock && send())
    : send()).catch(() => false);
  flushing = 0;
  if (done) tries = 0;
  else if (readBox().length) setTimeout(flush, backoff(tries++, 0));
}

addEventListener('online', flush);
// Another tab sent (or replaced) what this page was waiting for.
addEventListener('storage', (e) => {
  if (e.key == OUTBOX) for (const key of waiting.keys()) readBox().some((w) => w.key == key) || tell(key, [-4]);
});
if (readBox().length) flush(); // what an earlier visit left

/** `GET url`, revalidating the browser's cached copy (it sends the ETag it kept, and a 304
 * reuses the copy); `done` hears `[status, json, retryAfter]`, unless its widget is gone. */
export const revalidate = (url, done) => request('GET', url, undefined, undefined, 'no-cache').then((a) => call(done, a));

let batch;

/**
 * Asks for the first data of one widget: its kind and its options as `[name, value, …]`, resolved
 * the way the server resolves a boot request's attributes. `given` is the widget's share of the
 * loader's boot request (a promise), when the loader made one: it is offered first. Otherwise, or
 * when it is not what the widget wants, every widget asking in the same task shares one
 * `GET /api/v1/boot` per server. `deliver(item)` gets an item (or undefined when a request
 * failed) and returns whether it still wants the data; a failure that may pass (no answer, 5xx,
 * 429) is tried again for those, 2 s doubling to a minute. A widget that is gone (its callback
 * dropped, so calling it throws) wants nothing more.
 */
export async function first(api, reader, kind, params, deliver, given) {
  if (given) {
    const item = await within(given);
    try { if (item !== undefined && !deliver(item)) return; } catch (e) { return; }
  }
  if (!batch) {
    batch = new Map();
    queueMicrotask(() => {
      batch.forEach((asks, api) => boot(api, asks, 0));
      batch = 0;
    });
  }
  const asks = batch.get(api) || [];
  batch.set(api, asks);
  asks.push({ reader, kind, params, deliver });
}

async function boot(api, asks, attempt) {
  const q = new URLSearchParams();
  const reader = asks.find((a) => a.reader)?.reader;
  if (reader) q.append('reader', reader);
  for (const a of asks) {
    q.append('w', a.kind);
    for (let i = 0; i < a.params.length; i += 2) q.append(a.params[i], a.params[i + 1]);
  }
  const [status, json, retryAfter] = await request('GET', api + '/api/v1/boot?' + q);
  const items = (status == 200 && json?.items) || [];
  asks = asks.filter((a, i) => {
    try { return a.deliver(items[i]); } catch (e) { return false; } // false: the widget is gone
  });
  // No answer, a server error, too many requests, or a 200 that is not our JSON (a proxy's
  // error page, a cut-off body): all may pass.
  if (asks.length && (status < 200 || status > 499 || status == 429 || !json?.items)) {
    if (!attempt) console.warn('[bangtin] cannot load from ' + api + '; trying again');
    await sleep(backoff(attempt, retryAfter || 0));
    boot(api, asks, attempt + 1);
  }
}
