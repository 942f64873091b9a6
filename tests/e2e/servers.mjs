// Starting the real bangtin server and the static "host site" servers the tests embed it in.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.BANGTIN_SERVER_BIN || join(ROOT, 'target', 'debug', 'bangtin-server');

/** Starts bangtin-server on a free port with a fresh SQLite database; resolves to {url, stop}. */
export function startServer({ allowed = [], rateLimit = 1000, database } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bangtin-e2e-'));
  const args = [
    '--listen', '127.0.0.1:0',
    '--database-url', database || `sqlite://${join(dir, 'e2e.db')}`,
    '--assets', join(ROOT, 'pkg'),
    '--www', join(ROOT, 'www'),
    '--write-rate-limit', String(rateLimit),
    ...allowed.flatMap((o) => ['--allowed-origin', o]),
  ];
  const env = { ...process.env, RUST_LOG: 'warn', BANGTIN_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789' };
  const child = spawn(BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bangtin-server exited (${code}) before listening`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/bangtin listening on (http:\/\/[^/\s]+)\//);
      if (m) {
        child.removeAllListeners('exit');
        resolve({
          url: m[1],
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) { rmSync(dir, { recursive: true, force: true }); return done(); }
            child.once('exit', () => { rmSync(dir, { recursive: true, force: true }); done(); });
            child.kill('SIGTERM');
          }),
        });
      }
    });
  });
}

/**
 * Adds a moderator to the database at `database` through the CLI
 * (`bangtin-server moderator add NAME --database-url …`); resolves to the one-time login token
 * it prints. Run with the secret `startServer` gives the server.
 */
export function addModerator(database, name = 'Biên tập viên') {
  const env = { ...process.env, RUST_LOG: 'warn', BANGTIN_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789' };
  return new Promise((resolve, reject) => {
    execFile(BIN, ['moderator', 'add', name, '--database-url', database], { cwd: ROOT, env }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`moderator add failed: ${stderr || error.message}`));
      // The token is the line of 64 hex digits after "login token (shown once, …):".
      const token = stdout.match(/^[0-9a-f]{64}$/m);
      if (!token) return reject(new Error(`moderator add printed no token: ${stdout}`));
      resolve(token[0]);
    });
  });
}

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A static "newspaper" on its own origin, serving tests/e2e/host. In *.html files `{{NAME}}` is
 * replaced by the HTML-escaped query parameter `name` (defaults below), `{{BANGTIN}}` by the
 * server URL (query `bangtin` or env BANGTIN_URL) and `{{MANY}}` by `count` (50) rating widgets.
 * Pages are sent with a strict CSP, as a careful site owner would.
 */
export function startHost() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://host');
    // `/long/<anything>/NAME.html` serves NAME.html under a long path (a page whose own key,
    // its path, is too long to be a rating's key).
    const path = url.pathname.replace(/^\/long\/[^/]*\//, '/');
    const name = path === '/' ? 'rating.html' : path.slice(1);
    if (!/^[a-z0-9-]+\.(html|js|css)$/.test(name)) { res.writeHead(404).end(); return; }
    let body;
    try { body = readFileSync(join(ROOT, 'tests', 'e2e', 'host', name), 'utf8'); } catch { res.writeHead(404).end(); return; }
    const q = (k, d) => url.searchParams.get(k) ?? d;
    const bangtin = q('bangtin', process.env.BANGTIN_URL);
    const api = q('api', '');
    const vars = {
      BANGTIN: bangtin,
      ARTICLE: q('article', 'e2e/article'),
      SCALE: q('scale', 'stars'),
      LANG: q('lang', 'vi'),
      API_ATTR: api ? `data-api="${escape(api)}"` : '',
      OTHER: q('other', ''),
      COUNT: q('count', '50'),
      // The bundle's content-hashed names, for the benchmark's network floor (floor.html).
      WASM: q('wasm', ''),
      GLUE: q('glue', ''),
      // Raw markup for the hostile pages, base64url (tests/e2e/hostile.spec.mjs builds them).
      HEAD: Buffer.from(q('head', ''), 'base64url').toString(),
      BODY: Buffer.from(q('body', ''), 'base64url').toString(),
      HEAD64: q('head', ''),
      BODY64: q('body', ''),
    };
    const raw = new Set(['API_ATTR', 'HEAD', 'BODY', 'HEAD64', 'BODY64']);
    const csp = {
      // What a careful site owner sends (the default).
      careful: `script-src 'self' ${bangtin} 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'`,
      // The strictest policy that still allows the widgets.
      strictest: `default-src 'self'; script-src 'self' ${bangtin} 'wasm-unsafe-eval'; connect-src ${bangtin}; style-src 'self'`,
      // One that forgot WebAssembly.
      nowasm: `default-src 'self'; script-src 'self' ${bangtin}; connect-src ${bangtin}; style-src 'self'`,
    }[q('csp', 'careful')];
    if (name.endsWith('.html')) {
      body = body.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, k) => {
        if (k === 'MANY') {
          const article = escape(vars.ARTICLE);
          return Array.from({ length: Number(vars.COUNT) }, (_, i) =>
            `<section class="teaser"><h2>Tin số ${i + 1}</h2><bangtin-rating article="${article}-${i}"><p>Bình chọn</p></bangtin-rating></section>`).join('\n');
        }
        return raw.has(k) ? vars[k] : escape(vars[k] ?? '');
      });
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': csp,
      });
    } else {
      // Like a real newspaper's static files, cacheable (the HTML is not).
      const type = name.endsWith('.css') ? 'text/css' : 'text/javascript';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=3600' });
    }
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((d) => server.close(d)) });
  }));
}

/**
 * A bangtin API that misbehaves on demand, in front of the real server at `target`: set `mode`
 * to 'ok' (a plain proxy), 'down' (connections dropped), 'slow' (no answer until `ok` again),
 * 'html' (a proxy's 200 error page), 'truncated' (JSON cut off), '500', or '503' (with
 * `Retry-After: 2`). Its answers carry CORS headers, as a real proxy in front of bangtin would.
 * `hits` counts requests by path.
 */
export function startFlakyApi(target) {
  const api = { mode: 'ok', hits: {}, held: [] };
  const cors = (req) => ({ 'access-control-allow-origin': req.headers.origin || '*', 'access-control-expose-headers': 'retry-after' });
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    api.hits[path] = (api.hits[path] || 0) + 1;
    const mode = api.mode;
    if (mode === 'down') return req.socket.destroy();
    if (mode === 'slow') return api.held.push(res);
    if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html', ...cors(req) }).end('<html><h1>502 Bad Gateway</h1></html>');
    if (mode === 'truncated') return res.writeHead(200, { 'content-type': 'application/json', ...cors(req) }).end('{"now":1,"items":[{"key":"st');
    if (mode === '500') return res.writeHead(500, { 'content-type': 'application/json', ...cors(req) }).end('{"error":{"code":"internal","message":"internal server error"}}');
    if (mode === '503') return res.writeHead(503, { 'retry-after': '2', ...cors(req) }).end('busy');
    const upstream = request(target + req.url, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    api.url = `http://127.0.0.1:${server.address().port}`;
    api.stop = () => new Promise((d) => { api.held.forEach((r) => r.destroy()); server.closeAllConnections(); server.close(d); });
    resolve(api);
  }));
}
