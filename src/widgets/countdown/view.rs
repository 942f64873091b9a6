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
use core::cell::RefCell;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

local! {
    static SHEET: RefCell<Option<web_sys::CssStyleSheet>> = RefCell::new(None);
}

/// The banner: title and date on the left, the clock in the middle, the dismiss button right.
/// The clock fades in (not under `prefers-reduced-motion`: the base sheet stops animations).
const CSS: &str = "\
.panel{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.75rem 1rem;\
border:1px solid var(--bangtin-accent,#b45309);border-radius:.5rem;background:var(--bangtin-hover,#f3f0e8)}\
.pic{width:3rem;height:3rem;object-fit:cover;border-radius:.375rem}\
.text{flex:1 1 12rem}\
.title{font-weight:700;font-size:1.125em}\
.title a{color:inherit}\
.when{font-size:.875em}\
.clock{display:flex;gap:.75rem;animation:bangtin-in .4s ease-out}\
.part{display:flex;flex-direction:column;align-items:center;min-width:2.5rem}\
.n{font-size:1.5em;font-variant-numeric:tabular-nums;color:var(--bangtin-accent,#b45309)}\
.u{font-size:.75em}\
.msg{font-weight:700}\
.msg:empty{display:none}\
.x{background:none;border:0;color:inherit;min-width:2rem;min-height:2rem;font-size:1.25em}\
@keyframes bangtin-in{from{opacity:0;transform:translateY(-.25rem)}}";

/// `$` are: the language, [the image], the title [with its link], the timer's name, four unit
/// names, the date, the dismiss button's name. `*` marks the elements [`View`] keeps.
const HEAD: &str = "div.panel*|lang=$";
const IMAGE: &str = "\n img.pic|alt=|src=$";
const TEXT: &str = "\n div.text";
const TITLE: &str = "\n  p.title|>$";
const LINKED: &str = "\n  p.title\n   a|href=$|>$";
const CLOCK: &str =
    "\n  p.when*|>$\n  p.msg*|role=status\n div.clock*|role=timer|aria-live=off|aria-label=$";
const PART: &str = "\n  span.part\n   b.n*|>0\n   span.u*|>$";
const CLOSE: &str = "\n button.x*|type=button|aria-label=$|>×";

/// The banner's elements.
pub struct View {
    lang: Lang,
    target: Target,
    panel: HtmlElement,
    when: HtmlElement,
    msg: HtmlElement,
    clock: HtmlElement,
    numbers: [HtmlElement; 4],
    units: [HtmlElement; 4],
    close: HtmlElement,
    /// The timer's name and the date as last written (they change only with the phase).
    label: String,
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
        let words = words(lang);
        let list = dom::texts(&[lang.tag()]);
        let mut template = String::from(HEAD);
        if let Some(image) = texts.image {
            template.push_str(IMAGE);
            dom::push(&list, image);
        }
        template.push_str(TEXT);
        if let Some(href) = texts.href {
            template.push_str(LINKED);
            dom::push(&list, href);
        } else {
            template.push_str(TITLE);
        }
        dom::push(
            &list,
            texts
                .title
                .unwrap_or_else(|| model::default_title(lang, target)),
        );
        template.push_str(CLOCK);
        dom::push(&list, "");
        dom::push(&list, "");
        for unit in words.units {
            template.push_str(PART);
            dom::push(&list, unit[1]);
        }
        template.push_str(CLOSE);
        dom::push(&list, words.dismiss);
        let mut marked = dom::build(&root, &template, &list)?.into_iter();
        let mut next = || marked.next().ok_or(JsValue::NULL);
        let panel = next()?;
        let when = next()?;
        let msg = next()?;
        let clock = next()?;
        let (n0, u0, n1, u1, n2, u2, n3, u3) = (
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
        );
        Ok(View {
            lang,
            target,
            panel,
            when,
            msg,
            clock,
            numbers: [n0, n1, n2, n3],
            units: [u0, u1, u2, u3],
            close: next()?,
            label: String::new(),
        })
    }

    /// The dismiss button.
    pub fn close(&self) -> &HtmlElement {
        &self.close
    }

    /// Hides the whole banner (dismissed, or over with `after="hide"`).
    pub fn hide(&self) {
        dom::show(&self.panel, false);
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
        dom::show(&self.panel, !gone);
        if gone {
            return;
        }
        let label = model::timer_label(lang, self.target, phase);
        if label != self.label {
            dom::attr(&self.clock, "aria-label", &label);
            if let Some(at) = phase.at() {
                dom::set_text(&self.when, &model::date_label(lang, self.target, at));
            }
            self.label = label;
        }
        dom::show(&self.clock, seconds.is_some());
        let text = match seconds {
            Some(_) => "",
            None => message.unwrap_or_else(|| model::default_message(lang, self.target, phase)),
        };
        // Written once when the moment arrives: the status announces it, politely.
        dom::set_text(&self.msg, text);
        let Some(seconds) = seconds else {
            return;
        };
        let units = words(lang).units;
        for (i, value) in model::parts(seconds).into_iter().enumerate() {
            let digits = if i == 0 {
                let mut days = String::new();
                model::push_number(&mut days, value);
                days
            } else {
                model::two_digits(value)
            };
            if let (Some(number), Some(unit), Some(names)) =
                (self.numbers.get(i), self.units.get(i), units.get(i))
            {
                dom::set_text(number, &digits);
                dom::set_text(unit, names[usize::from(value != 1)]);
            }
        }
    }
}
