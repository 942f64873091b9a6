//! The countdown's DOM: a banner with a title (a link when given), an image, the clock (a
//! `role=timer` with a static name: it is not a live region, so no second is announced), the
//! message (a polite status, written once when the moment arrives), the date, and the dismiss
//! button. Everything a page or reader wrote goes in as text or an attribute value.

use super::model::{self, After, Phase, Target};
use super::words::words;
use crate::dom;
use crate::i18n::Lang;
use crate::local::local;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/src/widgets/countdown/clock.js")]
extern "C" {
    /// The solar date of the day starting at `ms` (a UTC midnight), through `Intl` (`clock.js`).
    fn date(ms: f64, lang: &str) -> String;
    /// Writes `seconds` into the clock's parts, with `units` ([`words`]).
    fn digits(clock: &HtmlElement, seconds: f64, units: &str);
}

/// The moment `at` of `target` as a reader of `lang` reads it (see [`model::date_label`]):
/// "Thứ Sáu, 30/4/2027", "Mùng 1 Tết Đinh Mùi (Thứ Bảy, 6/2/2027)".
pub fn date_text(lang: Lang, target: Target, at: i64) -> String {
    let solar = date((target.day_of(at) * model::DAY) as f64, lang.tag());
    model::date_label(lang, target, at, &solar)
}

local! {
    static SHEET: RefCell<Option<web_sys::CssStyleSheet>> = RefCell::new(None);
}

/// The banner: title and date on the left, the clock in the middle, the dismiss button right.
/// The clock fades in (not under `prefers-reduced-motion`: the base sheet stops animations).
const CSS: &str = "\
.panel{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.75rem 1rem;\
border:1px solid var(--a);border-radius:.5rem}\
.pic{order:-1;width:3rem;height:3rem;object-fit:cover}\
.text{flex:1 1 12rem}\
.title{font-weight:700}\
.title a{color:inherit}\
.clock{display:flex;gap:.75rem;text-align:center;animation:bangtin-in .4s}\
.n{display:block;font-size:1.5em;font-variant-numeric:tabular-nums}\
.u,.when{font-size:.875em}\
.x{background:none;border:0;color:inherit;min-width:2rem;min-height:2rem}\
@keyframes bangtin-in{from{opacity:0}}";

/// The banner (see `dom::build`): `$` are the language and the dismiss button's name; `*`
/// marks the elements [`View`] keeps, in the order of the indices below. The title (a link
/// when given) and the image are added after, only when there are.
const TEMPLATE: &str = "\
div.panel*|lang=$
 div.text
  p.title*
  p.when*
  p.msg*|role=status
 div.clock*|role=timer|aria-live=off
  span.part
   b.n
   span.u
  span.part
   b.n
   span.u
  span.part
   b.n
   span.u
  span.part
   b.n
   span.u
 button.x*|type=button|aria-label=$|>×";
const PANEL: usize = 0;
const TITLE: usize = 1;
const WHEN: usize = 2;
const MSG: usize = 3;
/// Its four parts (a number `.n` and a unit `.u` each) are written by `digits` (`clock.js`).
const CLOCK: usize = 4;
const CLOSE: usize = 5;

/// The banner's elements.
pub struct View {
    lang: Lang,
    target: Target,
    els: Vec<HtmlElement>,
    /// The moment named by the timer and the date, as last written, and whether it was past.
    named: (Option<i64>, bool),
}

/// What the page asked the banner to say, beside its target.
pub struct Texts<'a> {
    pub title: Option<&'a str>,
    pub href: Option<&'a str>,
    pub image: Option<&'a str>,
}

impl View {
    /// Builds the banner in `host`'s shadow root (the host's own children are no longer shown:
    /// the banner needs no data to render).
    pub fn new(
        host: &HtmlElement,
        lang: Lang,
        target: Target,
        texts: &Texts,
    ) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let els = dom::build(
            &root,
            TEMPLATE,
            &dom::texts(&[lang.tag(), words(lang).dismiss]),
        )?;
        let (Some(panel), Some(title), true) = (els.first(), els.get(TITLE), els.len() > CLOSE)
        else {
            return Err(JsValue::NULL);
        };
        let name = texts
            .title
            .unwrap_or_else(|| model::default_title(lang, target));
        match texts.href {
            Some(href) => {
                dom::build(title, "a|href=$|>$", &dom::texts(&[href, name]))?;
            }
            None => dom::text(title, name),
        }
        if let Some(image) = texts.image {
            // Appended, shown first (CSS `order`).
            dom::build(panel, "img.pic|alt=|src=$", &dom::texts(&[image]))?;
        }
        Ok(View {
            lang,
            target,
            els,
            named: (None, false),
        })
    }

    /// Marked element `i` (all there: checked when built).
    fn el(&self, i: usize) -> &HtmlElement {
        match self.els.get(i) {
            Some(el) => el,
            None => crate::local::trap(),
        }
    }

    /// The banner.
    pub fn panel(&self) -> &HtmlElement {
        self.el(PANEL)
    }

    /// The dismiss button.
    pub fn close(&self) -> &HtmlElement {
        self.el(CLOSE)
    }

    /// Shows `phase` at `now`. `message` is the page's message, if it gave one.
    pub fn render(&mut self, phase: Phase, now: i64, after: After, message: Option<&str>) {
        let lang = self.lang;
        let seconds = match phase {
            Phase::Before { at } => Some(model::seconds_left(at, now)),
            Phase::Over { at } if after == After::CountUp => Some(model::seconds_since(at, now)),
            _ => None,
        };
        let gone = matches!(phase, Phase::None)
            || matches!(phase, Phase::Over { .. }) && after == After::Hide;
        dom::show(self.el(PANEL), !gone);
        if gone {
            return;
        }
        // The timer's name and the date change only with the moment and whether it is past.
        let named = (phase.at(), matches!(phase, Phase::Over { .. }));
        if named != self.named {
            let date = phase.at().map(|at| date_text(lang, self.target, at));
            let date = date.as_deref().unwrap_or_default();
            dom::attr(
                self.el(CLOCK),
                "aria-label",
                &model::timer_label(lang, phase, date),
            );
            dom::set_text(self.el(WHEN), date);
            self.named = named;
        }
        dom::show(self.el(CLOCK), seconds.is_some());
        let text = match seconds {
            Some(_) => "",
            None => message.unwrap_or_else(|| model::default_message(lang, self.target, phase)),
        };
        // Written once when the moment arrives: the status announces it, politely.
        dom::set_text(self.el(MSG), text);
        let Some(seconds) = seconds else {
            return;
        };
        digits(self.el(CLOCK), seconds as f64, words(lang).units);
    }
}
