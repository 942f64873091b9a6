//! The rating widget's DOM: a radio group of stars (or thumbs), the summary line and a polite
//! status line, in the host's open shadow root. It only reads and writes the DOM.

use super::model::{self, Failure, Model, Notice, Phase};
use super::words::words;
use crate::dom::{self, set_text};
use crate::i18n::{self, Lang};
use alloc::string::String;
use alloc::vec::Vec;
use bangtin_api::Scale;
use core::cell::RefCell;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement};

const CSS: &str = "\
.panel{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;min-height:4.5em}\
.prompt{flex-basis:100%;font-weight:600}\
.group{display:inline-flex;gap:.125rem}\
.choice{font-size:1.5em;line-height:1;min-width:1.75em;min-height:1.75em;padding:.125em;\
margin:0;border:1px solid transparent;background:transparent;\
color:var(--m);transition:color .15s,background-color .15s}\
.choice:hover{background:var(--h)}\
.star.on{color:var(--a)}\
.thumb svg{display:block;width:1em;height:1em;margin:auto;fill:currentColor}\
.thumb.down svg{transform:rotate(180deg)}\
.thumb[aria-checked=true]{color:var(--a);border-color:var(--a);background:var(--h)}\
.status{flex-basis:100%;font-size:.875em;min-height:1.5em;display:flex;gap:.5em;align-items:center}\
.retry{padding:.125em .75em;border:1px solid currentColor;background:transparent;color:inherit}\
.choice[aria-checked=true].pending{opacity:.7}";

crate::local::local! {
    /// One constructed style sheet, shared by every rating widget on the page.
    static SHEET: RefCell<Option<web_sys::CssStyleSheet>> = RefCell::new(None);
}

/// The widget's elements.
pub struct View {
    lang: Lang,
    scale: Scale,
    panel: HtmlElement,
    slot: Element,
    group: HtmlElement,
    choices: Vec<(u8, HtmlElement)>,
    summary: HtmlElement,
    message: HtmlElement,
    retry: HtmlElement,
}

/// The widget's static elements (see `dom::build`): `$` are the language, the prompt, then each
/// choice's value and name, then the retry button's words; `*` marks the elements [`View`]
/// keeps, in the order it takes them.
const HEAD: &str = "\
slot*
div.panel*|hidden|lang=$
 p.prompt|id=prompt|>$
 div.group*|role=radiogroup|aria-labelledby=prompt";
const STAR: &str = "
  button.choice.star*|type=button|role=radio|data-value=$|aria-label=$|>★";
/// Material Design "thumb_up" (Apache-2.0, github.com/google/material-design-icons), decorative
/// (the button's `aria-label` names it); the thumb-down choice shows it turned half a circle.
const THUMB: &str = "
  button.choice.thumb*|type=button|role=radio|data-value=$|aria-label=$
   svg|viewBox=0 0 24 24|aria-hidden=true|focusable=false
    path|d=M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
const TAIL: &str = "
 p.summary*
 div.status
  span*|role=status|aria-live=polite
  button.retry*|type=button|hidden|>$";

impl View {
    /// Builds the widget in `host`'s shadow root. The host's own children stay visible (through a
    /// slot) until the summary arrives, and again if it never does.
    pub fn new(host: &HtmlElement, lang: Lang, scale: Scale) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let words = words(lang);
        let mut template = String::from(HEAD);
        let texts = dom::texts(&[lang.tag(), words.prompt]);
        let values = model::choices(scale);
        for &value in values {
            template.push_str(match scale {
                Scale::Stars => STAR,
                Scale::Thumbs => THUMB,
            });
            dom::push(
                &texts,
                DIGITS.get(usize::from(value)).copied().unwrap_or_default(),
            );
            dom::push(&texts, model::choice_label(lang, scale, value));
        }
        template.push_str(TAIL);
        dom::push(&texts, words.retry);
        let mut marked = dom::build(&root, &template, &texts)?.into_iter();
        let mut next = || marked.next().ok_or(JsValue::NULL);
        let slot = next()?;
        let panel = next()?;
        let group = next()?;
        let mut choices = Vec::new();
        for &value in values {
            choices.push((value, next()?));
        }
        Ok(View {
            lang,
            scale,
            panel,
            slot: slot.into(),
            group,
            choices,
            summary: next()?,
            message: next()?,
            retry: next()?,
        })
    }

    /// The radio group, where the widget listens for clicks and keys.
    pub fn group(&self) -> &HtmlElement {
        &self.group
    }

    /// The button that sends a failed vote again.
    pub fn retry(&self) -> &HtmlElement {
        &self.retry
    }

    /// Makes the DOM show `model`.
    pub fn render(&self, model: &Model) {
        let ready = model.phase == Phase::Ready;
        let phase = match model.phase {
            Phase::Loading => "loading",
            Phase::Ready => "ready",
            Phase::Failed => "failed",
        };
        dom::attr(&self.panel, "data-phase", phase);
        dom::show(&self.panel, ready);
        dom::show(&self.slot, !ready);
        if !ready {
            return;
        }
        let selected = model.selected();
        for (value, button) in &self.choices {
            let checked = selected == Some(*value);
            dom::attr(
                button,
                "aria-checked",
                if checked { "true" } else { "false" },
            );
            dom::attr(
                button,
                "tabindex",
                if model.focus == *value { "0" } else { "-1" },
            );
            let lit = self.scale == Scale::Stars && selected.is_some_and(|chosen| *value <= chosen);
            let pending = checked && model.pending();
            let class = match (self.scale, *value) {
                (Scale::Thumbs, 0) => "choice thumb down",
                (Scale::Thumbs, _) => "choice thumb",
                _ => "choice star",
            };
            let mut classes = String::from(class);
            if lit {
                classes.push_str(" on");
            }
            if pending {
                classes.push_str(" pending");
            }
            dom::attr(button, "class", &classes);
        }
        let lang = self.lang;
        let text = model::summary_text(lang, self.scale, model.tally, |value, decimals| {
            i18n::number(lang, value, decimals)
        });
        set_text(&self.summary, &text);
        let words = words(lang);
        let notice = match model.notice {
            None => "",
            Some(Notice::Sending) => words.sending,
            Some(Notice::Queued) => words.queued,
            Some(Notice::Saved) => words.saved,
            Some(Notice::Failed(Failure::Refused)) => words.refused,
            Some(Notice::Failed(Failure::Unreachable)) => words.unreachable,
            Some(Notice::Failed(Failure::Timeout)) => words.timeout,
            Some(Notice::Failed(Failure::RateLimited)) => words.rate_limited,
        };
        set_text(&self.message, notice);
        dom::show(&self.retry, model.retry.is_some());
    }

    /// Moves keyboard focus to the choice `value`.
    pub fn focus(&self, value: u8) {
        if let Some((_, button)) = self.choices.iter().find(|(v, _)| *v == value) {
            let _ = button.focus();
        }
    }
}

const DIGITS: [&str; 6] = ["0", "1", "2", "3", "4", "5"];

/// The vote value of the choice a click landed on.
pub fn clicked_value(event: &web_sys::Event) -> Option<u8> {
    let target = dom::target(event)?;
    let button = target.closest("[data-value]").ok()??;
    let value = button.get_attribute("data-value")?;
    DIGITS.iter().position(|d| *d == value).map(|v| v as u8)
}
