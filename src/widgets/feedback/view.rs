//! The feedback widget's DOM, in the host's open shadow root: the form ("Gửi phản hồi") with
//! real labels, errors tied to their fields and a live counter; and the published list ("Xem
//! phản hồi") with its count, sort buttons, items, newsroom replies, likes and "Xem thêm".
//! Everything a reader wrote is set as text, never as markup. It only reads and writes the DOM.

use super::model::{Form, Model, Phase, Sending, FIELDS};
use super::words::{words, Words};
use crate::api;
use crate::dom::{self, attr, set_text, show, text};
use crate::i18n::Lang;
use alloc::string::String;
use bangtin_api::feedback::{char_count, Field, Problem, Sort};
use core::cell::{Cell, RefCell};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

const CSS: &str = "\
.panel{display:grid;gap:1.5rem;min-width:0;overflow-wrap:anywhere}\
h2{font-size:1.25em;margin:0 0 .5rem}\
form{display:grid;gap:.75rem}\
.field{display:grid;gap:.25rem}\
label{font-weight:600}\
input,textarea{font:inherit;color:inherit;background:var(--bangtin-bg,#fff);padding:.5em .625em;\
border:1px solid var(--bangtin-border,#6b6b6b);border-radius:.375rem;min-width:0;max-width:100%;box-sizing:border-box}\
textarea{resize:vertical;min-height:7.5em}\
[aria-invalid=true]{border-color:var(--bangtin-error,#b42318);border-width:2px}\
.err{color:var(--bangtin-error,#b42318);font-size:.875em}\
.err:empty,.status:empty{display:none}\
.count{font-size:.875em;color:var(--bangtin-muted,#595959);justify-self:end}\
.hp{display:none}\
button{padding:.375em 1em;min-height:2.75em;\
border:1px solid var(--bangtin-accent,#9a3412);background:transparent;color:var(--bangtin-accent,#9a3412)}\
.submit{background:var(--bangtin-accent,#9a3412);color:var(--bangtin-on-accent,#fff);justify-self:start;font-weight:600}\
.sort{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.75rem}\
.sort [aria-pressed=true]{background:var(--bangtin-hover,#f3f0e8);font-weight:600}\
ol{list-style:none;margin:0;padding:0;display:grid;gap:1rem}\
li{border-top:1px solid var(--bangtin-border,#d0d0d0);padding-top:.75rem;display:grid;gap:.375rem}\
.name{font-weight:600;margin-right:.75em}\
time{color:var(--bangtin-muted,#595959);font-size:.875em}\
.text{white-space:pre-wrap}\
.reply{margin-left:1rem;padding:.5rem .75rem;border-left:3px solid var(--bangtin-accent,#9a3412);\
background:var(--bangtin-hover,#f3f0e8);display:grid;gap:.25rem}\
.like{justify-self:start;padding:.125em .75em;min-height:2.25em}\
.like[aria-pressed=true]{background:var(--bangtin-hover,#f3f0e8)}\
.more{justify-self:start;margin-top:.75rem}";

crate::local::local! {
    /// One constructed style sheet, shared by every feedback widget on the page.
    static SHEET: RefCell<Option<web_sys::CssStyleSheet>> = RefCell::new(None);
}

/// The widget's static elements (see `dom::build`); `$` are the words, in the order of
/// [`View::new`]'s list, and `*` marks the elements [`View`] keeps, in the order it takes them.
const TEMPLATE: &str = "\
slot*
div.panel*|hidden|lang=$
 section.send|aria-labelledby=send-h
  h2|id=send-h|>$
  form*|novalidate|aria-labelledby=send-h
   div.field
    label|for=name|>$
    input*|id=name|name=name|autocomplete=name|required|aria-describedby=name-err
    p.err*|id=name-err
   div.field
    label|for=email|>$
    input*|id=email|name=email|type=email|autocomplete=email|aria-describedby=email-err
    p.err*|id=email-err
   div.field
    label|for=message|>$
    textarea*|id=message|name=message|rows=5|required|aria-describedby=message-err message-count
    p.count*|id=message-count
    p.err*|id=message-err
   div.hp|aria-hidden=true
    label|for=website|>$
    input|id=website|name=website|tabindex=-1|autocomplete=off
   button.submit|type=submit|>$
   p.status*|role=status
 section.list|aria-labelledby=list-h
  h2*|id=list-h
  div.sort|role=group|aria-label=$
   button*|type=button|data-sort=newest|>$
   button*|type=button|data-sort=liked|>$
  p*|>$
  ol*
  button.more*|type=button|>$
  p.status*|role=status";

/// One item of the list: its key, name, time and text; then its replies, then its
/// like button.
const ITEM: &str = "
li|tabindex=-1|data-key=$
 p.meta
  span.name|>$
  time|>$
 p.text|>$";
/// A newsroom reply under an item: heading, time, text.
const REPLY: &str = "
 div.reply
  p.meta
   span.name|>$
   time|>$
  p.text|>$";
/// An item's like button: its key, pressed, label.
const LIKE: &str = "
 button.like|type=button|data-like=$|aria-pressed=$|>$";

/// The widget's elements.
pub struct View {
    lang: Lang,
    root: ShadowRoot,
    panel: HtmlElement,
    slot: HtmlElement,
    message: HtmlElement,
    inputs: [HtmlElement; 3],
    errors: [HtmlElement; 3],
    counter: HtmlElement,
    status: HtmlElement,
    heading: HtmlElement,
    sorts: [HtmlElement; 2],
    empty: HtmlElement,
    list: HtmlElement,
    more: HtmlElement,
    list_status: HtmlElement,
    revision: Cell<u32>,
}

impl View {
    /// Builds the widget in `host`'s shadow root, with the reader's draft in the form. The host's
    /// own children stay visible (through a slot) until the list arrives, and again if it never
    /// does.
    pub fn new(host: &HtmlElement, lang: Lang, draft: &Form) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let w = words(lang);
        let texts = dom::texts(&[
            lang.tag(),
            w.send_heading,
            w.name,
            w.email,
            w.message,
            w.website,
            w.submit,
            w.sort,
            w.newest,
            w.liked,
            w.empty,
            w.more,
        ]);
        let marked = dom::build(&root, TEMPLATE, &texts)?;
        let [slot, panel, _form, name, name_err, email, email_err, message, counter, message_err, status, heading, newest, liked, empty, list, more, list_status] =
            <[HtmlElement; 18]>::try_from(marked).map_err(|_| JsValue::NULL)?;
        let inputs = [name, email, message.clone()];
        for (input, field) in inputs.iter().zip(FIELDS) {
            dom::set(input, "value", &JsValue::from_str(draft.get(field)));
        }
        Ok(View {
            lang,
            root,
            panel,
            slot,
            message,
            inputs,
            errors: [name_err, email_err, message_err],
            counter,
            status,
            heading,
            sorts: [newest, liked],
            empty,
            list,
            more,
            list_status,
            revision: Cell::new(u32::MAX),
        })
    }

    /// The panel, where the widget listens for clicks on sorts, likes and "Xem thêm".
    pub fn panel(&self) -> &HtmlElement {
        &self.panel
    }

    /// The text in the honeypot (empty unless a bot filled it in).
    pub fn honeypot(&self) -> String {
        self.root
            .get_element_by_id("website")
            .and_then(|input| dom::get_text(&input, "value"))
            .unwrap_or_default()
    }

    /// Makes the DOM show `model`.
    pub fn render(&self, model: &Model) {
        let ready = model.phase == Phase::Ready;
        dom::attr(
            &self.panel,
            "data-phase",
            match model.phase {
                Phase::Loading => "loading",
                Phase::Ready => "ready",
                Phase::Failed => "failed",
            },
        );
        show(&self.panel, ready);
        show(&self.slot, !ready);
        if !ready {
            return;
        }
        let w = words(self.lang);
        // The model changes a field's text only to clear a sent message: never under the caret.
        if model.form.message.is_empty() {
            dom::set(&self.message, "value", &JsValue::from_str(""));
        }
        for (i, field) in FIELDS.into_iter().enumerate() {
            let error = model.error(field);
            attr(
                &self.inputs[i],
                "aria-invalid",
                if error.is_some() { "true" } else { "false" },
            );
            set_text(
                &self.errors[i],
                error.map_or("", |p| problem_text(w, field, p)),
            );
        }
        let mut count = String::new();
        digits(&mut count, char_count(model.form.message.trim()) as u64, 1);
        count.push_str(w.of_max);
        set_text(&self.counter, &count);
        set_text(
            &self.status,
            match model.sending {
                Sending::Idle => "",
                Sending::InFlight => w.sending,
                Sending::Pending => w.sent_pending,
                Sending::Published => w.sent_published,
                Sending::Queued => w.queued,
                Sending::Failed => w.failed,
                Sending::RateLimited => w.rate_limited,
            },
        );
        if self.revision.replace(model.revision) != model.revision {
            self.render_list(model, w);
        }
    }

    /// Redraws the list. The element that had keyboard focus (an item, its like button) has it
    /// again after; after "Xem thêm", focus moves to the first new item.
    fn render_list(&self, model: &Model, w: &Words) {
        let mut heading = String::from(w.list_heading);
        heading.push_str(" (");
        digits(&mut heading, model.total, 1);
        heading.push(')');
        set_text(&self.heading, &heading);
        for (button, sort) in self.sorts.iter().zip([Sort::Newest, Sort::Liked]) {
            attr(
                button,
                "aria-pressed",
                if model.sort == sort { "true" } else { "false" },
            );
        }
        show(&self.empty, model.items.is_empty());
        show(&self.more, model.next.is_some());
        set_text(
            &self.list_status,
            if model.more_failed { w.load_failed } else { "" },
        );
        let active = self.root.active_element();
        let from_more = active.as_ref() == Some(self.more.as_ref());
        let focused = active.and_then(|el| {
            ["data-like", "data-key"].into_iter().find_map(|name| {
                el.get_attribute(name)
                    .map(|v| ["[", name, "=\"", &v, "\"]"].concat())
            })
        });
        let before = dom::get(&dom::get(&self.list, "children"), "length")
            .as_f64()
            .unwrap_or(0.0);
        let mut template = String::new();
        let texts = js_sys::Array::new();
        let time = |of: &JsValue| when(api::whole(&dom::get(of, "created_at")).unwrap_or(0));
        for item in &model.items {
            template.push_str(ITEM);
            dom::push(&texts, &item.id);
            texts.push(&dom::get(&item.raw, "name"));
            dom::push(&texts, &time(&item.raw));
            texts.push(&dom::get(&item.raw, "message"));
            let replies = dom::get(&item.raw, "replies").dyn_into::<js_sys::Array>();
            for reply in replies.iter().flat_map(js_sys::Array::iter) {
                template.push_str(REPLY);
                dom::push(&texts, w.newsroom);
                dom::push(&texts, &time(&reply));
                texts.push(&dom::get(&reply, "message"));
            }
            template.push_str(LIKE);
            let mut label = String::from(w.like);
            label.push_str(" · ");
            digits(&mut label, item.likes, 1);
            label.push_str(w.likes);
            for text in [
                item.id.as_str(),
                if item.liked { "true" } else { "false" },
                &label,
            ] {
                dom::push(&texts, text);
            }
        }
        text(&self.list, "");
        let _ = dom::build(&self.list, &template, &texts);
        let target = match focused {
            Some(selector) => self.list.query_selector(&selector).ok().flatten(),
            None if from_more => {
                let items = dom::get(&self.list, "children");
                js_sys::Reflect::get_u32(&items, before as u32)
                    .ok()
                    .map(JsCast::unchecked_into)
            }
            None => None,
        };
        if let Some(target) = target {
            let _ = target.unchecked_into::<HtmlElement>().focus();
        }
    }

    /// Moves keyboard focus to `field` (the first in error).
    pub fn focus(&self, field: Field) {
        if let Some(i) = FIELDS.iter().position(|f| *f == field) {
            let _ = self.inputs[i].focus();
        }
    }
}

fn problem_text(w: &Words, field: Field, problem: Problem) -> &'static str {
    match (field, problem) {
        (Field::Name, Problem::TooLong) => w.name_long,
        (Field::Name, _) => w.name_missing,
        (Field::Email, _) => w.email_bad,
        (Field::Message, Problem::TooShort) => w.message_short,
        (Field::Message, Problem::TooLong) => w.message_long,
        (Field::Message, _) => w.message_missing,
    }
}

/// "26/11/2026 13:46" for a moment in milliseconds since the epoch: Vietnamese style, in
/// Vietnam's time (UTC+7 all year).
pub fn when(ms: u64) -> String {
    let minutes = ms / 60_000 + 7 * 60;
    let (days, minute) = (minutes / 1440, minutes % 1440);
    // Days to a civil date (Howard Hinnant's algorithm; the epoch is after 0000-03-01).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let mut shown = String::new();
    digits(&mut shown, day, 2);
    shown.push('/');
    digits(&mut shown, month, 2);
    shown.push('/');
    digits(&mut shown, year, 4);
    shown.push(' ');
    digits(&mut shown, minute / 60, 2);
    shown.push(':');
    digits(&mut shown, minute % 60, 2);
    shown
}

/// Appends `n` with at least `width` digits (no `core::fmt` in the wasm).
fn digits(out: &mut String, n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(buf.len() - width);
    for &b in &buf[start..] {
        out.push(char::from(b));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::when;

    #[test]
    fn dates_are_vietnamese_style_in_vietnam_time() {
        // 2026-11-26 06:46 UTC is 13:46 in Hà Nội.
        let ms = 1_795_675_560_000;
        assert_eq!(when(ms), "26/11/2026 13:46");
        // 17:30 UTC on 31 December is already the new year in Vietnam.
        assert_eq!(when(1_767_202_200_000), "01/01/2026 00:30");
        assert_eq!(when(0), "01/01/1970 07:00");
    }
}
