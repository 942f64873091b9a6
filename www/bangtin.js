/*! bangtin loader: defines the widgets' elements; fetches the wasm only when one is near the viewport. */
// The build (`cargo xtask build`) replaces the __BANGTIN_…__ names: the content-hashed glue and
// wasm, and the widget names (from the widget crate's one list, `src/widgets/mod.rs`). esbuild
// then minifies it into pkg/bangtin.js, served as /bangtin.js. Every byte here is paid by every
// page view, widgets or not: the budget is 1,100 B brotli, checked by `cargo xtask test`.
((w, d) => {
  if (w.bangtin?.loaded) return; // the script tag was pasted twice
  const me = d.currentScript;
  const url = (path) => new URL(path, me?.src || location.href).href;
  const API = me?.dataset.api || url('/').slice(0, -1); // data-api: an origin, no trailing slash
  const LANG = me?.dataset.lang; // else the widget takes <html lang>, else Vietnamese
  const live = new Map(); // element -> wasm handle
  const wait = new Map(); // element waiting for the code -> its share of the boot request
  let init, mod, io, fails = 0;

  const warn = (...what) => console.warn('[bangtin]', ...what);
  const watch = (el) => (io ||= new IntersectionObserver(near, { rootMargin: '300px' })).observe(el);

  // One cached load of glue + wasm, both downloading at once (the wasm compiling as it streams
  // in). A failure resets it and, after a pause that doubles each time, watches the waiting
  // widgets again: the next one in view tries again. (A page whose CSP forbids WebAssembly gets
  // its reason from the glue: www/glue.js.)
  const load = (wasm) => init ||= (
    wasm = WebAssembly.compileStreaming(fetch(url('__BANGTIN_WASM__'))),
    wasm.catch(() => {}), // reported below, through init; never an unhandled rejection
    import(url('__BANGTIN_GLUE__'))
      .then((m) => m.default({ module_or_path: wasm }).then(() => (mod = m)))
      .catch((e) => {
        init = 0;
        fails++ || warn('no code', e); // said once; the tries go on quietly
        setTimeout(() => wait.forEach((_, el) => watch(el)), Math.min(6e4, 2e3 << fails));
      }));

  // An element's kind and its server.
  const kind = (el) => el.getAttribute('data-bangtin') || el.localName.slice(8);
  const api = (el) => el.getAttribute('data-api') || API;

  // The first widget near the viewport loads the code and asks, in one GET while the code
  // downloads, for the first data of every waiting widget: its kind and every attribute
  // (`data-` taken off), which the server reads as the widget does. A failed request resolves
  // to nothing: each widget then asks by itself (and so do those on another server).
  function near(entries) {
    if (!entries.some((e) => e.isIntersecting)) return;
    io.disconnect();
    io = 0;
    const q = new URLSearchParams({ page: d.querySelector('link[rel=canonical]')?.href || location.pathname });
    const asked = [];
    try { q.append('reader', localStorage.getItem('bangtin:reader') || ''); } catch (e) {}
    wait.forEach((got, el) => {
      if (got || api(el) != API) return;
      q.append('w', kind(el));
      for (const a of el.attributes) q.append(a.name.replace(/^data-/, ''), a.value);
      asked.push(el);
    });
    const got = asked.length && fetch(API + '/api/v1/boot?' + q).then((r) => r.json()).catch(() => {});
    asked.forEach((el, i) => wait.set(el, got.then((j) => j?.items?.[i])));
    load().then(() => mod && wait.forEach((_, el) => mount(el)));
  }

  // Mounts `el`, or applies its new options if it is mounted already.
  const mount = (el) => {
    const k = kind(el); // the wasm refuses, and says so, a kind it does not have
    if (!mod) return wait.has(el) || wait.set(el), watch(el);
    let h = 0;
    try { h = mod.mount(el, k, { api: api(el), lang: LANG, first: wait.get(el) }); } catch (e) { warn(k, e); }
    wait.delete(el);
    // A single-page app changing `article` (say) gets the widget it asked for.
    h ? (live.set(el, h), attrs.observe(el, { attributes: true })) : live.delete(el);
  };
  const attrs = new MutationObserver((records) => records.forEach((r) => live.has(r.target) && mount(r.target)));

  const unmount = (el) => {
    wait.delete(el);
    try { live.has(el) && mod.unmount(live.get(el)); } catch (e) {}
    live.delete(el);
  };

  // <bangtin-rating> elements and <div data-bangtin="rating"> placeholders (for CMSs that strip
  // unknown tags): found at load and when added later, released when removed. (No custom
  // element classes: one observer does it all, in fewer bytes.) The build writes the selector:
  // "bangtin-rating,bangtin-feedback,…,[data-bangtin]".
  const which = __BANGTIN_WIDGETS__;
  const scan = (node) => {
    node.matches?.(which) && mount(node);
    node.querySelectorAll?.(which).forEach(mount);
  };
  scan(d.documentElement);
  new MutationObserver((records) => records.forEach((r) => {
    if (r.removedNodes.length) for (const el of [...live.keys(), ...wait.keys()]) el.isConnected || unmount(el);
    r.addedNodes.forEach(scan);
  })).observe(d.documentElement, { childList: true, subtree: true });

  // The only global: a command function, replaying what was queued before the loader arrived.
  // `mount` writes the config into the element's attributes (`widget` as data-bangtin, `api`
  // as data-api), where the widget reads its options and notices later changes.
  const queued = w.bangtin?.q || [];
  const bangtin = (cmd, el, cfg) => {
    if (!(el instanceof Element)) return warn(cmd, el);
    if (cmd == 'unmount') return unmount(el);
    for (const n in cfg) el.setAttribute(n == 'widget' ? 'data-bangtin' : n == 'api' ? 'data-api' : n, cfg[n]);
    mount(el);
  };
  bangtin.loaded = 1;
  w.bangtin = bangtin;
  queued.forEach((args) => bangtin(...args));
})(window, document);
