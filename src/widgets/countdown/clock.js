// The countdown's clock, imported by the wasm (`mod.rs`) and bundled into the glue: when to
// render, and what time it is. JavaScript because timers, observers, a fetch and storage cost
// the wasm several times their size in import shims and closures. What to show stays in Rust
// (`model.rs`): this only calls `render(now)` with the corrected time.

/**
 * The solar date of the day that starts at `ms` (UTC midnight of a day number), as a reader of
 * `lang` reads it: "Thứ Sáu, 30/4/2027", "Friday, 30 April 2027" (the browser's `Intl`: the wasm
 * carries no weekday or month names).
 */
export const date = (ms, lang) => new Intl.DateTimeFormat(lang == 'vi' ? lang : 'en-GB', {
  weekday: 'long', day: 'numeric', month: lang == 'vi' ? 'numeric' : 'long', year: 'numeric', timeZone: 'UTC',
}).format(ms);

/**
 * Shows `s` whole seconds in `clock`'s four parts (days, hours, minutes, seconds: its number,
 * at least two digits after the days, and its unit from `units`, "one several" for each part,
 * space-separated), writing only what changed (so a hidden hour comes back as one change).
 */
export function digits(clock, s, units) {
  units = units.split(' ');
  const put = (el, text) => el.textContent != text && (el.textContent = text);
  [s / 864e2, s / 3600 % 24, s / 60 % 60, s % 60].forEach((v, i) => {
    const [n, u] = clock.children[i].children;
    v = Math.floor(v);
    put(n, (i && v < 10 ? '0' : '') + v);
    put(u, units[2 * i + (v != 1)]);
  });
}

let offset; // the server's clock minus this device's (ms), once measured on the page
let asked; // the time request, once per page
const clocks = new Set(); // every running clock's tick, to run again once the time is known
const now = () => Date.now() + (offset || 0);

/**
 * Runs a banner's clock: `render(now)` now, at every whole second of the corrected clock, when
 * the page is shown again and when the banner comes into view; never while the page is hidden or
 * the banner is off-screen (coming back renders once, from the time then: no catch-up). The
 * server's time (`api`/api/v1/time, round trip halved) corrects the device's. A click on
 * `button` dismisses: `bangtin:countdown:<id>` → `version` in localStorage (if it can be written) and `panel`
 * hidden. Returns `stop()`, or undefined when the banner was already dismissed.
 */
export function clock(api, panel, button, id, version, render) {
  const key = 'bangtin:countdown:' + id;
  try { if (localStorage.getItem(key) === version) return void (panel.hidden = true); } catch (e) {}
  let timer, seen = 1;
  const tick = () => {
    clearTimeout(timer);
    try { render(now()); } catch (e) {} // never the page's problem
    if (seen && !document.hidden) timer = setTimeout(tick, 1000 - now() % 1000);
  };
  const io = typeof IntersectionObserver == 'function' && new IntersectionObserver((entries) => {
    seen = entries[entries.length - 1].isIntersecting;
    tick();
  });
  const stop = () => {
    clearTimeout(timer);
    clocks.delete(tick);
    io && io.disconnect();
    document.removeEventListener('visibilitychange', tick);
    button.removeEventListener('click', dismiss);
  };
  const dismiss = () => {
    try { localStorage.setItem(key, version); } catch (e) {} // remembered for this view only
    stop();
    panel.hidden = true;
  };
  io && io.observe(panel);
  document.addEventListener('visibilitychange', tick);
  button.addEventListener('click', dismiss);
  clocks.add(tick);
  if (!asked) {
    const sent = Date.now();
    asked = fetch(api + '/api/v1/time', { cache: 'no-store' })
      .then((r) => r.json())
      .then(({ now: server }) => {
        const back = Date.now();
        if (typeof server == 'number') offset = server + (back - sent) / 2 - back;
        clocks.forEach((t) => t());
      })
      .catch(() => {}); // no server time: this device's clock it is
  }
  tick();
  return stop;
}
