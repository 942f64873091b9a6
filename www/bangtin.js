/*! bangtin loader: defines the widgets' elements; fetches the wasm only when one is near the viewport. */
// The build (`cargo xtask build`) replaces the two __BANGTIN_…__ names with content-hashed files,
// strips comments and indentation, and writes the result to pkg/bangtin.js (served as /bangtin.js).
(function (w, d) {
  'use strict';
  if (w.bangtin && w.bangtin.loaded) return; // the script tag was pasted twice
  var me = d.currentScript;
  var src = me ? me.src : location.href;
  var api = ((me && me.dataset.api) || new URL(src).origin).replace(/\/+$/, '');
  var ctx = { api: api, lang: (me && me.dataset.lang) || d.documentElement.lang || 'vi' };
  var GLUE = new URL('__BANGTIN_GLUE__', src).href;
  var WASM = new URL('__BANGTIN_WASM__', src).href;
  var READY = { rating: 1 }; // feedback, ticker and countdown are reserved for later versions
  var live = new Map(); // element -> wasm handle
  var wait = new Set(); // connected elements waiting for the code
  var conf = new WeakMap(); // element -> config given to bangtin('mount', element, config)
  var told = {}, init = null, mod = null, io = null;

  function warn(msg, err) { console.warn('[bangtin] ' + msg, err === undefined ? '' : err); }

  // One cached load of glue + wasm; a failure resets it so a later widget can try again.
  function load() {
    return init || (init = import(GLUE).then(function (m) {
      return m.default({ module_or_path: WASM }).then(function () { mod = m; });
    }).catch(function (e) {
      init = null;
      warn('could not load the widget code from ' + api + '; showing the fallback content.', e);
    }));
  }

  function mount(el) {
    if (!el.isConnected || live.has(el)) return;
    var opts = Object.assign({}, conf.get(el));
    var kind = opts.widget || el.getAttribute('data-bangtin') || el.localName.replace('bangtin-', '');
    delete opts.widget;
    if (!READY[kind]) {
      if (!told[kind]) warn(kind + ': this widget is not available in this version.');
      return (told[kind] = 1);
    }
    if (!mod) {
      wait.add(el);
      if (!io) io = new IntersectionObserver(near, { rootMargin: '300px' });
      return io.observe(el);
    }
    wait.delete(el);
    try { live.set(el, mod.mount(el, kind, opts, ctx)); } catch (e) { warn(kind + ': could not start.', e); }
  }

  function unmount(el) {
    if (io) io.unobserve(el);
    wait.delete(el);
    if (!live.has(el)) return;
    try { mod.unmount(live.get(el)); } catch (e) { warn('could not stop a widget.', e); }
    live.delete(el);
  }

  // The first widget near the viewport loads the code; then every waiting widget mounts at once,
  // so all rating summaries on the page travel in one batched request.
  function near(entries) {
    if (!entries.some(function (e) { return e.isIntersecting; })) return;
    io.disconnect();
    io = null;
    load().then(function () {
      if (mod) wait.forEach(mount);
    });
  }

  ['rating', 'feedback', 'ticker', 'countdown'].forEach(function (kind) {
    var tag = 'bangtin-' + kind;
    if (customElements.get(tag)) return;
    customElements.define(tag, class extends HTMLElement {
      connectedCallback() { mount(this); }
      disconnectedCallback() { unmount(this); }
    });
  });

  // <div data-bangtin="rating"> placeholders, for CMSs that strip unknown tags.
  function scan(node, fn) {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute('data-bangtin')) fn(node);
    node.querySelectorAll('[data-bangtin]').forEach(fn);
  }
  scan(d.documentElement, mount);
  // Other elements are not told when they leave the page: sweep after every removal.
  function sweep(_, el) { if (!el.isConnected && !/^bangtin-/.test(el.localName)) unmount(el); }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.removedNodes.length) { live.forEach(sweep); wait.forEach(function (el) { sweep(0, el); }); }
      r.addedNodes.forEach(function (n) { scan(n, mount); });
    });
  }).observe(d.documentElement, { childList: true, subtree: true });

  // The only global: a command function, replaying what was queued before the loader arrived.
  var queued = (w.bangtin && w.bangtin.q) || [];
  function bangtin(cmd, el, cfg) {
    if (cmd === 'mount' && el instanceof HTMLElement) { unmount(el); conf.set(el, cfg || {}); mount(el); }
    else if (cmd === 'unmount' && el instanceof HTMLElement) unmount(el);
    else warn('unknown command "' + cmd + '"; use bangtin("mount", element, config) or bangtin("unmount", element).');
  }
  bangtin.loaded = true;
  bangtin.q = [];
  w.bangtin = bangtin;
  queued.forEach(function (args) { bangtin.apply(null, args); });
})(window, document);
