// The network floor of `cargo xtask bench` (xtask/bench/first-data.mjs, on floor.html): the
// loader's requests and nothing else. When #w comes near the viewport (an IntersectionObserver,
// as the loader's), it fetches what the loader fetches at that moment — the boot answer, the wasm
// and the glue, at once, from the bangtin server — without compiling, evaluating or mounting
// anything, then marks the element ready. bangtin's first data minus this is bangtin's own work.
(() => {
  const me = document.currentScript.dataset;
  const el = document.getElementById('w');
  const get = (path, body) => fetch(me.api + path).then((r) => r[body]());
  new IntersectionObserver((entries, io) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    io.disconnect();
    const q = new URLSearchParams({ page: location.pathname, reader: '', w: 'rating', article: el.getAttribute('article') });
    Promise.all([get('/api/v1/boot?' + q, 'json'), get('/pkg/' + me.wasm, 'arrayBuffer'), get('/pkg/' + me.glue, 'text')])
      .then(() => { el.attachShadow({ mode: 'open' }).innerHTML = '<p data-phase="ready">·</p>'; });
  }, { rootMargin: '300px' }).observe(el);
})();
