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
:host{display:block;contain:content}\
:host([hidden]),[hidden]{display:none!important}\
.panel{font-family:var(--bangtin-font,system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif);\
font-size:var(--bangtin-font-size,1rem);line-height:1.5;color:var(--bangtin-text,#1f2328);\
display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;min-height:4.5em}\
.prompt{margin:0;flex-basis:100%;font-weight:600}\
.group{display:inline-flex;gap:.125rem}\
.choice{font:inherit;font-size:1.5em;line-height:1;min-width:1.75em;min-height:1.75em;padding:.125em;\
margin:0;border:1px solid transparent;border-radius:.375rem;background:transparent;cursor:pointer;\
color:var(--bangtin-muted,#6b6b6b);transition:color .15s,background-color .15s}\
.choice:hover{background:var(--bangtin-hover,#f3f0e8)}\
.choice:focus-visible{outline:3px solid var(--bangtin-focus,#1a56db);outline-offset:2px}\
.star.on{color:var(--bangtin-accent,#b45309)}\
.thumb svg{display:block;width:1em;height:1em;margin:auto;fill:currentColor}\
.thumb.down svg{transform:rotate(180deg)}\
.thumb[aria-checked=true]{color:var(--bangtin-accent,#b45309);border-color:var(--bangtin-accent,#b45309);background:var(--bangtin-hover,#f3f0e8)}\
.summary,.status{margin:0}\
.summary{color:var(--bangtin-text,#1f2328)}\
.status{flex-basis:100%;font-size:.875em;min-height:1.5em;margin:0;display:flex;gap:.5em;align-items:center}\
.retry{font:inherit;font-size:1em;padding:.125em .75em;border:1px solid currentColor;border-radius:.375rem;\
background:transparent;color:inherit;cursor:pointer}\
.retry:focus-visible{outline:3px solid var(--bangtin-focus,#1a56db);outline-offset:2px}\
.choice[aria-checked=true].pending{opacity:.7}\
@media (prefers-reduced-motion:reduce){.choice{transition:none}}";

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

impl View {
    /// Builds the widget in `host`'s shadow root. The host's own children stay visible (through a
    /// slot) until the summary arrives, and again if it never does.
    pub fn new(host: &HtmlElement, lang: Lang, scale: Scale) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let words = words(lang);
        let slot = dom::document().create_element("slot")?;
        let panel = dom::element("div", "panel")?;
        dom::show(&panel, false);
        dom::attr(&panel, "lang", lang.tag());
        let prompt = dom::element("p", "prompt")?;
        dom::attr(&prompt, "id", "prompt");
        dom::text(&prompt, words.prompt);
        let group = dom::element("div", "group")?;
        dom::attr(&group, "role", "radiogroup");
        dom::attr(&group, "aria-labelledby", "prompt");
        let mut choices = Vec::new();
        for &value in model::choices(scale) {
            let button = dom::element(
                "button",
                match scale {
                    Scale::Stars => "choice star",
                    Scale::Thumbs => "choice thumb",
                },
            )?;
            dom::attr(&button, "type", "button");
            dom::attr(&button, "role", "radio");
            dom::attr(
                &button,
                "aria-label",
                model::choice_label(lang, scale, value),
            );
            dom::attr(
                &button,
                "data-value",
                DIGITS.get(usize::from(value)).copied().unwrap_or_default(),
            );
            match scale {
                Scale::Stars => dom::text(&button, "★"),
                // An icon, not an emoji: emoji fonts are missing on many readers' machines.
                Scale::Thumbs => {
                    let icon = thumb_icon()?;
                    button.append_child(&icon)?;
                    if value == 0 {
                        dom::attr(&button, "class", "choice thumb down");
                    }
                }
            }
            group.append_child(&button)?;
            choices.push((value, button));
        }
        let summary = dom::element("p", "summary")?;
        let status = dom::element("div", "status")?;
        let message = dom::element("span", "")?;
        dom::attr(&message, "role", "status");
        dom::attr(&message, "aria-live", "polite");
        let retry = dom::element("button", "retry")?;
        dom::attr(&retry, "type", "button");
        dom::text(&retry, words.retry);
        dom::show(&retry, false);
        status.append_child(&message)?;
        status.append_child(&retry)?;
        panel.append_child(&prompt)?;
        panel.append_child(&group)?;
        panel.append_child(&summary)?;
        panel.append_child(&status)?;
        root.append_child(&slot)?;
        root.append_child(&panel)?;
        Ok(View {
            lang,
            scale,
            panel,
            slot,
            group,
            choices,
            summary,
            message,
            retry,
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

/// Material Design "thumb_up" (Apache-2.0, github.com/google/material-design-icons); the
/// thumb-down choice shows it turned half a circle.
const THUMB_PATH: &str = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";

/// A decorative thumb icon; the button's `aria-label` names it.
fn thumb_icon() -> Result<Element, JsValue> {
    const SVG: Option<&str> = Some("http://www.w3.org/2000/svg");
    let doc = dom::document();
    let svg = doc.create_element_ns(SVG, "svg")?;
    dom::attr(&svg, "viewBox", "0 0 24 24");
    dom::attr(&svg, "aria-hidden", "true");
    dom::attr(&svg, "focusable", "false");
    let path = doc.create_element_ns(SVG, "path")?;
    dom::attr(&path, "d", THUMB_PATH);
    svg.append_child(&path)?;
    Ok(svg)
}

/// The vote value of the choice a click landed on.
pub fn clicked_value(event: &web_sys::Event) -> Option<u8> {
    let target = dom::target(event)?;
    let button = target.closest("[data-value]").ok()??;
    let value = button.get_attribute("data-value")?;
    DIGITS.iter().position(|d| *d == value).map(|v| v as u8)
}
