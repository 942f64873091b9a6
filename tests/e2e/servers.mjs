// Starting the real bangtin server and the static "host site" servers the tests embed it in.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
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
    };
    if (name.endsWith('.html')) {
      body = body.replace(/\{\{([A-Z_]+)\}\}/g, (_, k) => {
        if (k === 'MANY') {
          const article = escape(vars.ARTICLE);
          return Array.from({ length: Number(vars.COUNT) }, (_, i) =>
            `<section class="teaser"><h2>Tin số ${i + 1}</h2><bangtin-rating article="${article}-${i}"><p>Bình chọn</p></bangtin-rating></section>`).join('\n');
        }
        return k === 'API_ATTR' ? vars.API_ATTR : escape(vars[k] ?? '');
      });
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `script-src 'self' ${bangtin} 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'`,
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
