// The widgets' DOM builder, imported by the wasm (`src/dom.rs`) and bundled into the glue by the
// build. A widget describes its static elements as a template (see `dom::build`); building them
// here costs a fraction of the wasm that makes the same calls one by one (measured: see
// BENCHMARKS.md). It only creates elements, sets attributes and sets text: never markup.

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Builds `template` into `root` and returns the elements marked with `*`, in order. One element
 * per line: leading spaces give its depth (0: a child of `root`), then `tag.class.class*`, then
 * `|name=value` attributes (`|name` alone for an empty value) and `|>text`. A value or text that
 * is exactly `$` takes the next of `texts` (what a reader or a server wrote goes in this way:
 * as an attribute value or as text, never into the template). Elements inside an `<svg>` are
 * made in the SVG namespace.
 */
export function build(root, template, texts) {
  const parents = [root];
  const marked = [];
  let next = 0;
  const fill = (v) => (v == '$' ? texts[next++] : v);
  for (const line of template.split('\n')) {
    if (!line.trim()) continue;
    const depth = line.search(/\S/);
    const [head, ...parts] = line.trim().split('|');
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
