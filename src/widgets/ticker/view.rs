//! The ticker's DOM, in the host's open shadow root: its heading, the pinned breaking items, the
//! headlines (a marquee track, a fading stack or a still list), a polite status line and the
//! pause/play button. Motion is CSS only: a keyframe animation on one track element (paused by a
//! class, by `:hover` and by `:focus-within`) and an opacity transition; the wasm runs nothing
//! per frame. Titles, sections and addresses go in as text or attribute values, never as markup.

use super::model::{decimal, Line, Mode, Model, Phase};
use super::words::{words, Words};
use crate::dom::{self, attr, set_text, show, text};
use crate::i18n::Lang;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

const CSS: &str = "\
.panel{--a:var(--bangtin-accent,#a50e0e);--m:var(--bangtin-muted,#595959);display:flex;flex-wrap:wrap;\
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
.hot{background:var(--bangtin-breaking,#b42318);border-color:var(--bangtin-breaking,#b42318);color:#fff}\
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

/// The widget's static elements (see `dom::build`): `$` are the language, the heading, the
/// pinned list's name and the button's first words; `*` marks what [`View`] keeps, in order.
const TEMPLATE: &str = "\
slot*
div.panel*|hidden|lang=$
 p.label|id=l|>$
 ul.pin*|aria-label=$
 div.view*
 p.msg*|role=status
 button.pause*|type=button|>$";

/// The marquee: the list, then the same list again for a seamless loop, hidden from assistive
/// technology and out of the tab order.
const SCROLL: &str = "\
div.track*
 ul*|aria-labelledby=l
 ul*|aria-hidden=true|inert";
/// The fading stack and the still list.
const STILL: &str = "ul*|aria-labelledby=l";

/// One headline with a link: the badges ("Nóng", "Mới": empty when not), the address and
/// title, the time and the section.
const LINKED: &str = "\
li*
 b.hot|>$
 b.new|>$
 a|href=$|>$
 span.at|>$
 span.sec|>$";
/// One headline whose address is not http(s): the same, unlinked.
const UNLINKED: &str = "\
li*
 b.hot|>$
 b.new|>$
 span|>$
 span.at|>$
 span.sec|>$";

/// The widget's elements.
pub struct View {
    lang: Lang,
    /// The marquee's speed, px/s.
    speed: u32,
    slot: HtmlElement,
    panel: HtmlElement,
    pin: HtmlElement,
    view: HtmlElement,
    msg: HtmlElement,
    button: HtmlElement,
    /// The moving headlines as built (in fade mode, the stack).
    items: RefCell<Vec<HtmlElement>>,
    /// The marquee's track and the width of one copy of its list (px).
    track: RefCell<Option<(HtmlElement, HtmlElement)>>,
    width: Cell<f64>,
    revision: Cell<u32>,
}

impl View {
    /// Builds the widget in `host`'s shadow root, headed `label`. The host's own children stay
    /// visible (through a slot) until the news arrives, and again if it never does.
    #[inline(never)]
    pub fn new(host: &HtmlElement, lang: Lang, label: &str, speed: u32) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let w = words(lang);
        let texts = dom::texts(&[lang.tag(), label, w.breaking, w.pause]);
        let [slot, panel, pin, view, msg, button] = dom::build(&root, TEMPLATE, &texts)?
            .try_into()
            .map_err(|_| JsValue::NULL)?;
        Ok(View {
            lang,
            speed,
            slot,
            panel,
            pin,
            view,
            msg,
            button,
            items: RefCell::new(Vec::new()),
            track: RefCell::new(None),
            width: Cell::new(0.0),
            revision: Cell::new(u32::MAX),
        })
    }

    /// The panel: where focus and the marquee's loops are heard.
    pub fn panel(&self) -> &HtmlElement {
        &self.panel
    }

    /// The moving headlines: where the pointer pauses them.
    pub fn view(&self) -> &HtmlElement {
        &self.view
    }

    /// Makes the DOM show `model`.
    #[inline(never)]
    pub fn render(&self, model: &Model) {
        let w = words(self.lang);
        let ready = model.phase == Phase::Ready;
        show(&self.panel, model.phase != Phase::Loading);
        show(&self.slot, !ready);
        let held = if model.moving() { "" } else { " held" };
        let paused = if model.paused { " paused" } else { "" };
        attr(&self.panel, "class", &["panel", held, paused].concat());
        set_text(
            &self.msg,
            match model.phase {
                Phase::Failed => w.failed,
                Phase::Ready if model.lines.is_empty() => w.empty,
                _ => "",
            },
        );
        show(&self.button, ready && model.mode() != Mode::List);
        set_text(&self.button, if model.paused { w.play } else { w.pause });
        if self.revision.replace(model.revision) != model.revision {
            self.rebuild(model, w);
        }
        if model.mode() == Mode::Fade {
            for (i, li) in self.items.borrow().iter().enumerate() {
                attr(li, "class", if i == model.current { "on" } else { "" });
            }
        }
    }

    /// After a loop of the marquee: builds it again if its text changed width since (a font
    /// arrived, the page was hidden when it was built), so that its speed stays right.
    pub fn refit(&self, model: &Model) {
        let width = self.track.borrow().as_ref().map(|(_, list)| width_of(list));
        if width.is_some_and(|width| (width - self.width.get()).abs() > 1.0) {
            self.rebuild(model, words(self.lang));
        }
    }

    #[inline(never)]
    fn rebuild(&self, model: &Model, w: &Words) {
        text(&self.pin, "");
        text(&self.view, "");
        let mode = model.mode();
        attr(&self.view, "class", &["view ", mode.as_str()].concat());
        let pinned = model.pinned();
        for line in model.lines.iter().take(pinned) {
            item(&self.pin, line, w);
        }
        let rest = model.rest();
        let scroll = mode == Mode::Scroll && !rest.is_empty();
        let lists = dom::build(
            &self.view,
            if scroll { SCROLL } else { STILL },
            &JsValue::UNDEFINED,
        )
        .unwrap_or_default();
        let mut items = Vec::new();
        for (i, list) in lists.iter().enumerate().skip(usize::from(scroll)) {
            for line in rest {
                if let Some(li) = item(list, line, w) {
                    if i == usize::from(scroll) {
                        items.push(li);
                    }
                }
            }
        }
        *self.items.borrow_mut() = items;
        let mut track = self.track.borrow_mut();
        *track = None;
        if let [moving, list, ..] = &lists[..] {
            // One copy's width at the chosen speed; the track moves by exactly that much a loop.
            let width = width_of(list);
            self.width.set(width);
            let ms = (width * 1000.0 / f64::from(self.speed)).max(1000.0);
            let duration = [decimal(ms as u32).as_str(), "ms"].concat();
            dom::set(
                &dom::get(moving, "style"),
                "animationDuration",
                &JsValue::from_str(&duration),
            );
            *track = Some((moving.clone(), list.clone()));
        }
    }
}

fn width_of(el: &HtmlElement) -> f64 {
    dom::get(el, "offsetWidth").as_f64().unwrap_or(0.0)
}

/// Appends one headline to `list`.
fn item(list: &HtmlElement, line: &Line, w: &Words) -> Option<HtmlElement> {
    let texts = dom::texts(&[
        if line.breaking { w.breaking } else { "" },
        if line.new && !line.breaking {
            w.new
        } else {
            ""
        },
    ]);
    if let Some(url) = &line.url {
        dom::push(&texts, url);
    }
    for part in [&line.title, &line.time, &line.section] {
        dom::push(&texts, part);
    }
    let template = if line.url.is_some() { LINKED } else { UNLINKED };
    dom::build(list, template, &texts).ok()?.pop()
}

/// Whether `el` is inside an element matching `selector` (a headline: `li`; the button).
pub fn within(el: &JsValue, selector: &str) -> bool {
    let closest = dom::call(el, "closest", &[JsValue::from_str(selector)]);
    closest.is_ok_and(|li| li.is_object())
}
