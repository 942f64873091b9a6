//! The ticker's DOM, in the host's open shadow root: its heading, the pinned breaking items, the
//! headlines (a marquee track, a fading stack or a still list), a polite status line and the
//! pause/play button. The elements, their events and the two timers are `view.js`'s (see there);
//! this side hands it what the model says to show, in the reader's words.

use super::model::{Mode, Model, Phase};
use super::words::words;
use crate::dom;
use crate::i18n::Lang;
use core::cell::{Cell, RefCell};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/src/widgets/ticker/view.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = view)]
    fn js_view(root: &JsValue, texts: &JsValue, speed: u32) -> Result<JsValue, JsValue>;
    // `i32`s and JS values only: wasm-bindgen then imports `render` as it is, with no shim.
    #[wasm_bindgen(js_name = render)]
    #[allow(clippy::too_many_arguments)]
    fn js_render(
        view: &JsValue,
        phase: i32,
        moving: i32,
        paused: i32,
        msg: i32,
        shown: i32,
        mode: i32,
        pinned: i32,
        lines: &JsValue,
        current: i32,
    );
    #[wasm_bindgen(js_name = listen)]
    fn js_listen(view: &JsValue, send: &JsValue) -> u32;
    #[wasm_bindgen(js_name = timers)]
    fn js_timers(view: &JsValue, fade: f64, poll: f64);
    #[wasm_bindgen(js_name = stop)]
    fn js_stop(view: &JsValue);
}

const CSS: &str = "\
.panel{--a:var(--bangtin-accent,#a50e0e);display:flex;flex-wrap:wrap;\
align-items:center;gap:.25rem .75rem}\
.label{font-weight:700;color:var(--a)}\
ul{list-style:none;margin:0;padding:0}\
.pin:empty,.msg:empty,b:empty,.at:empty,.sec:empty{display:none}\
.pin li{font-weight:600}\
.view{flex:1 1 12rem;min-width:0;overflow:hidden;padding:.375rem .25rem}\
.view.list{flex-basis:100%}\
li{white-space:nowrap}\
.list li{white-space:normal;padding:.125rem 0}\
a{color:inherit}\
b{font-size:.75em;padding:0 .375em;margin-right:.375em;border:1px solid var(--a);border-radius:.25rem;color:var(--a)}\
.hot{--a:var(--bangtin-breaking,#b42318);background:var(--a);color:#fff}\
.at,.sec{margin-left:.5em;font-size:.875em;color:var(--m)}\
.track{display:flex;width:max-content;animation:bangtin-ticker 60s linear infinite}\
.track ul{display:flex;flex:none}\
.track li{padding-right:2.5rem}\
.held .track,.view:hover .track,.view:focus-within .track{animation-play-state:paused}\
@keyframes bangtin-ticker{to{transform:translateX(-50%)}}\
.fade ul{display:grid}\
.fade li{grid-area:1/1;overflow:hidden;text-overflow:ellipsis;opacity:0;visibility:hidden;\
transition:opacity .6s,visibility .6s}\
.fade .on{opacity:1;visibility:visible}\
.pause{padding:.25em .75em;min-height:2rem;border:1px solid currentColor;background:none;color:inherit}\
.pause::before{content:'\u{275a}\u{275a}'/'';margin-right:.375em}\
.paused .pause::before{content:'\u{25b6}'/''}\
@media (prefers-reduced-motion:reduce){.track{animation:none}.fade li{transition:none}}";

crate::local::local! {
    /// One constructed style sheet, shared by every ticker on the page.
    static SHEET: RefCell<Option<web_sys::CssStyleSheet>> = RefCell::new(None);
}

/// The widget's elements (`view.js`'s view object).
pub struct View {
    js: JsValue,
    /// The model's revision last shown: the lists are built again when it changes.
    revision: Cell<u32>,
}

impl View {
    /// Builds the widget in `host`'s shadow root, headed `label`. The host's own children stay
    /// visible (through a slot) until the news arrives, and again if it never does. The marquee
    /// moves at `speed` px/s.
    #[inline(never)]
    pub fn new(host: &HtmlElement, lang: Lang, label: &str, speed: u32) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let w = words(lang);
        // In the order `view.js` reads them (see its `view`).
        let texts = dom::texts(&[
            lang.tag(),
            label,
            w.breaking,
            w.pause,
            w.new,
            w.play,
            w.empty,
            w.failed,
        ]);
        Ok(View {
            js: js_view(&root, &texts, speed)?,
            revision: Cell::new(u32::MAX),
        })
    }

    /// Tells `send` (a function of one number: see `view.js`) what the reader does and when the
    /// timers ring; whether reduced motion is asked for now, and whether the tab is hidden now.
    pub fn listen(&self, send: &JsValue) -> (bool, bool) {
        let now = js_listen(&self.js, send);
        (now & 1 != 0, now & 2 != 0)
    }

    /// Sets or clears the fade switch and the refresh (ms from now; negative: none). A timer
    /// already set stays as it is.
    pub fn timers(&self, fade: f64, poll: f64) {
        js_timers(&self.js, fade, poll);
    }

    /// Makes the DOM show `model`.
    #[inline(never)]
    pub fn render(&self, model: &Model) {
        let mode = model.mode();
        let lines = if self.revision.replace(model.revision) != model.revision {
            let list = js_sys::Array::new();
            for line in &model.lines {
                dom::push(&list, &line.shown);
            }
            list.into()
        } else {
            JsValue::UNDEFINED
        };
        js_render(
            &self.js,
            model.phase as i32,
            i32::from(model.moving()),
            i32::from(model.paused),
            // The status line: none, or which of the texts given to `view` (see there).
            match model.phase {
                Phase::Failed => 7,
                Phase::Ready if model.lines.is_empty() => 6,
                _ => 0,
            },
            i32::from(model.phase == Phase::Ready && mode != Mode::List),
            mode as i32,
            model.pinned() as i32,
            &lines,
            if mode == Mode::Fade {
                model.current as i32
            } else {
                -1
            },
        );
    }
}

impl Drop for View {
    fn drop(&mut self) {
        js_stop(&self.js);
    }
}
