// The widgets' DOM builder, imported by the wasm (`src/dom.rs`) and bundled into the glue by the
// build. A widget describes its static elements as a template (see `dom::build`); building them
// here costs a fraction of the wasm that makes the same calls one by one (measured: see
// BENCHMARKS.md). It only creates elements, sets attributes and sets text: never markup.

const SVG = 'http://www.w3.org/2000/svg';

const two = (n) => (n < 10 ? '0' : '') + n;

/** "26/11/2026 13:46": a moment (ms since the epoch) in Vietnamese style, in Vietnam's time
 * (UTC+7 all year). */
export const when = (ms) => {
  const d = new Date(ms + 252e5);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
};

/**
 * Builds `template` into `root` and returns the elements marked with `*`, in order. One element
 * per line: leading spaces give its depth (0: a child of `root`), then `tag.class.class*`, then
 * `|name=value` attributes (`|name` alone for an empty value) and `|>text`. A value or text that
 * is exactly `$` takes the next of `texts` (an array, or a string of lines); with an `item` (an object from the server), `.key`
 * is its `key` and `@key` its `key` as a time (see `when`). What a reader or a server wrote goes
 * in only these ways: as an attribute value or as text, never into the template. Elements
 * inside an `<svg>` are made in the SVG namespace.
 */
export function build(root, template, texts, item) {
  const parents = [root];
  const marked = [];
  let next = 0;
  if (typeof texts == 'string') texts = texts.split('\n');
  const fill = (v) => v == '$' ? texts[next++]
    : item && v[0] == '.' ? String(item[v.slice(1)])
    : item && v[0] == '@' ? when(item[v.slice(1)])
    : v;
  for (const line of template.split('\n')) {
    if (!line.trim()) continue;
    const depth = line.search(/\S/);
    const [head, ...parts] = line.slice(depth).split('|');
    const [tag, ...classes] = head.replace('*', '').split('.');
    const parent = parents[depth];
    const el = tag == 'svg' || parent.namespaceURI == SVG
      ? document.createElementNS(SVG, tag)
      : document.createElement(tag);
    if (classes.length) el.setAttribute('class', classes.join(' '));
    for (const part of parts) {
      const i = part.indexOf('=');
      if (part[0] == '>') el.textContent = fill(part.slice(1));
      else el.setAttribute(i < 0 ? part : part.slice(0, i), i < 0 ? '' : fill(part.slice(i + 1)));
    }
    if (head.endsWith('*')) marked.push(el);
    parent.append(el);
    parents[depth + 1] = el;
  }
  return marked;
}

/**
 * The fields of `form` that are not empty, as an object (name → value), kept in this tab's
 * sessionStorage under `key` (removed when nothing is left): a reader's draft survives a reload.
 */
export function values(form, key) {
  const fields = Object.fromEntries([...new FormData(form)].filter(([, v]) => v));
  try {
    const json = JSON.stringify(fields);
    json == '{}' ? sessionStorage.removeItem(key) : sessionStorage.setItem(key, json);
  } catch (e) {} // no storage (a sandboxed frame, a full quota): the draft lives in the page only
  return fields;
}

/** Puts back into `form` the draft kept under `key` (see `values`), and returns the fields. */
export function keep(form, key) {
  let kept;
  try { kept = JSON.parse(sessionStorage.getItem(key)); } catch (e) {}
  for (const el of form.elements) if (kept?.[el.name] != null) el.value = kept[el.name];
  return values(form, key);
}
