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
 * undefined when the body was not JSON. Never rejects.
 */
export async function request(method, url, body, signal) {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), TIMEOUT);
  const cancel = () => stop.abort();
  signal?.addEventListener('abort', cancel);
  try {
    const r = await fetch(url, {
      method,
      mode: 'cors',
      signal: stop.signal,
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

let batch;

/**
 * Asks for the first data of one widget: its kind and its options as `[name, value, …]`, resolved
 * the way the server resolves a boot request's attributes. Every widget asking in the same task
 * shares one `GET /api/v1/boot` per server. `deliver(item)` gets the widget's item, or undefined
 * when the request failed, and returns whether it still wants the data; a failure that may pass
 * (no answer, 5xx, 429) is tried again for those, 2 s doubling to a minute. A widget that is gone
 * (its callback dropped, so calling it throws) wants nothing more.
 */
export function first(api, reader, kind, params, deliver) {
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
  const [status, json] = await request('GET', api + '/api/v1/boot?' + q);
  const items = (status == 200 && json?.items) || [];
  asks = asks.filter((a, i) => {
    try { return a.deliver(items[i]); } catch (e) { return false; }
  });
  if (asks.length && (status < 200 || status > 499 || status == 429)) {
    if (!attempt) console.warn('[bangtin] cannot load from ' + api + '; trying again');
    await sleep(Math.min(6e4, 2e3 << attempt) * (1 + Math.random() / 4));
    boot(api, asks, attempt + 1);
  }
}
