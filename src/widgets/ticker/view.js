// The ticker's DOM, events and timers, imported by the wasm (`view.rs`) and bundled into the glue.
// JavaScript because elements, listeners and timers cost the wasm several times their size in
// import shims and closures. What to show and when stays in Rust (`model.rs`): this reads the
// items of a news answer (`lines`, by the model's rules), builds what `render` is given, tells the
// widget what happened (`send(code)`, see `mod.rs`) and runs the two timers the model asks for. Motion is CSS only: a keyframe animation on one track element
// (paused by a class, by `:hover` and by `:focus-within`) and an opacity transition; nothing runs
// per frame. Titles, sections and addresses go in as text or attribute values, never as markup.

import { build, when } from '../../../www/dom.js';

/** The widget's static elements: `$` are the first four of `view`'s texts. */
const TEMPLATE = `slot*
div.panel*|hidden|lang=$
 p.label|id=l|>$
 ul.pin*|aria-label=$
 div.view*
 p.msg*|role=status
 button.pause*|type=button|>$`;

/** The marquee: the list, then the same list again for a seamless loop, hidden from assistive
 * technology and out of the tab order. */
const SCROLL = `div.track*
 ul*|aria-labelledby=l
 ul*|aria-hidden=true|inert`;
/** The fading stack and the still list. */
const STILL = 'ul*|aria-labelledby=l';

/** One headline: the badges ("Nóng", "Mới": empty when not), the link (or, when it has no
 * address, the title as text), the time and the section. */
const LINE = `li*
 b.hot|>$
 b.new|>$
 a|href=$|>$
 span.at|>$
 span.sec|>$`;
const PLAIN = LINE.replace('a|href=$', 'span');

/**
 * Builds the widget into `root` (a fresh shadow root); the view object the other calls take.
 * `texts` are the language, the heading, "Nóng" (the pinned list's name and badge), "Tạm dừng"
 * (pause), "Mới", "Tiếp tục" (play), and the status lines when the feed is empty and when the
 * news could not be loaded, in the reader's words.
 */
export function view(root, texts, speed) {
  const [slot, panel, pin, box, msg, button] = build(root, TEMPLATE, texts);
  return { slot, panel, pin, box, msg, button, speed, w: texts, items: [], off: new AbortController() };
}

/** One copy's width at the chosen speed: the track moves by exactly that much a loop. */
const fit = (v) => {
  if (!v.track) return;
  v.width = v.track[1].offsetWidth;
  v.track[0].style.animationDuration = Math.max(1e3, v.width * 1e3 / v.speed) + 'ms';
};

const MODES = ['scroll', 'fade', 'list'];

/**
 * Shows the model: `phase` 0 loading (the fallback shows), 1 ready, 2 failed; whether the
 * headlines move and the reader paused them (1 or 0); the status line (0: none, else which of
 * `view`'s texts); whether the button shows. With `lines` (what each headline shows, as `lines`
 * below wrote it; the first `pinned` of them pinned) the lists are built again, as `mode` (0
 * scroll, 1 fade, 2 list). `current` is the headline shown in fade mode (-1 in the others).
 */
export function render(v, phase, moving, paused, msg, shown, mode, pinned, lines, current) {
  try {
    v.panel.hidden = !phase;
    v.slot.hidden = phase == 1;
    v.panel.className = 'panel' + (moving ? '' : ' held') + (paused ? ' paused' : '');
    msg = msg ? v.w[msg] : '';
    // Only when it changed: the live region announces changes, not re-renders.
    if (v.msg.textContent != msg) v.msg.textContent = msg;
    v.button.hidden = !shown;
    v.button.textContent = v.w[paused ? 5 : 3];
    if (lines) {
      v.pin.textContent = v.box.textContent = '';
      v.box.className = 'view ' + MODES[mode];
      const n = lines.length;
      const scroll = !mode && n > pinned;
      const item = (list, i) => {
        const t = JSON.parse(lines[i]);
        t[0] = t[0] ? v.w[2] : '';
        t[1] = t[1] ? v.w[4] : '';
        return build(list, t[2] ? LINE : (t.splice(2, 1), PLAIN), t)[0];
      };
      for (let i = 0; i < pinned; i++) item(v.pin, i);
      const lists = build(v.box, scroll ? SCROLL : STILL, []);
      v.items = [];
      lists.slice(+scroll).forEach((list, k) => {
        for (let i = pinned; i < n; i++) {
          const li = item(list, i);
          if (!k) v.items.push(li);
        }
      });
      v.track = scroll && lists;
      fit(v);
    }
    if (current >= 0) v.items.forEach((li, i) => (li.className = i == current ? 'on' : ''));
  } catch (e) {} // a page that breaks the DOM gets a stale ticker, never an exception
}

const tell = (v, code) => {
  try { v.send(code); } catch (e) {} // never the page's problem
};

/**
 * Tells the widget, through `send(code)`, what the reader does: keyboard focus on a headline or
 * not (1, 0), a loop of the marquee (2), the pause button (3), the pointer over the headlines or
 * not (5, 4), the tab hidden or shown (7, 6), reduced motion asked for or not (9, 8); and, from
 * `timers`, the fade switch (10) and the refresh (11). Returns 1 when reduced motion is asked
 * for now, plus 2 when the tab is hidden now.
 */
export function listen(v, send) {
  v.send = send;
  const { panel, box } = v;
  const on = (target, kinds, f) => {
    if (!target) return; // no matchMedia (no such browser today): nothing heard
    for (const kind of kinds.split(' ')) target.addEventListener(kind, f, { passive: true, signal: v.off.signal });
  };
  const motion = window.matchMedia?.('(prefers-reduced-motion: reduce)');
  on(panel, 'focusin focusout animationiteration click', (e) => {
    const t = e.target, next = e.relatedTarget;
    if (e.type == 'focusin') tell(v, +!!t.closest('li'));
    // Moving from one headline to another is not leaving them.
    else if (e.type == 'focusout') panel.contains(next) && next.closest('li') || tell(v, 0);
    else if (e.type == 'click') t.closest('.pause') && tell(v, 3);
    else {
      tell(v, 2);
      // The text changed width since it was built (a font arrived, the page was hidden then):
      // the speed stays right.
      if (v.track && Math.abs(v.track[1].offsetWidth - v.width) > 1) fit(v);
    }
  });
  on(box, 'mouseenter mouseleave', (e) => tell(v, 4 + (e.type == 'mouseenter')));
  on(document, 'visibilitychange', () => tell(v, 6 + document.hidden));
  on(motion, 'change', (e) => tell(v, 8 + e.matches));
  return !!motion?.matches + 2 * document.hidden;
}

/** Sets or clears the fade switch and the refresh: in so many ms, or -1 for none. A timer
 * already set stays as it is. */
export function timers(v, fade, poll) {
  const set = (key, ms, code) => {
    if (ms < 0) {
      clearTimeout(v[key]);
      v[key] = 0;
    } else if (!v[key]) {
      v[key] = setTimeout(() => {
        v[key] = 0;
        tell(v, code);
      }, ms);
    }
  };
  set('fade', fade, 10);
  set('poll', poll, 11);
}

/** Removes the listeners and clears the timers. */
export function stop(v) {
  v.off.abort();
  timers(v, -1, -1);
}

const DAY = 864e5;
const VIETNAM = 252e5; // UTC+7 all year, in ms

/**
 * The items of a news answer (`bangtin_api::ticker::News`) as the ticker shows them at `now` (ms
 * since the epoch): three values each — id, whether pinned, and what `render` shows, as JSON:
 * `[pinned, new (younger than `fresh` minutes, and not pinned), the address when it is http(s)
 * (else "", shown unlinked), title, time ("13:46" today in Vietnam, and a clock a little ahead;
 * "26/11" for an earlier day; "" without a date), section]` — pinned items first, each group in
 * the server's order. An item of another shape is left out; an answer without a list of items is
 * undefined. (`model.rs` keeps the same rules in Rust, and the browser tests hold one to the
 * other.)
 */
export function lines(news, now, fresh) {
  const items = news?.items;
  if (!Array.isArray(items)) return;
  const out = [];
  for (const pinned of [true, false]) {
    for (const it of items) {
      const { id, title, url, published_at: at, section } = Object(it);
      const whole = at == null || Number.isSafeInteger(at) && at >= 0;
      if (typeof id + typeof title + typeof url != 'stringstringstring' || !whole || !it.breaking != !pinned) continue;
      let time = '';
      if (at != null) {
        // "26/11/2026 13:46": its clock today in Vietnam (and for a clock a little ahead), its
        // day and month before. (Whole days since the epoch there: under 2^31 for any safe date.)
        time = when(at);
        time = ((at + VIETNAM) / DAY | 0) >= ((now + VIETNAM) / DAY | 0) ? time.slice(-5) : time.slice(0, 5);
      }
      out.push(id, pinned, JSON.stringify([pinned, !pinned && at != null && Math.max(0, now - at) < fresh * 6e4,
        /^https?:\/\//i.test(url) ? url : '', title, time, typeof section == 'string' ? section : '']));
    }
  }
  return out;
}
