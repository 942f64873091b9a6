//! The feedback widget's DOM, in the host's open shadow root: the form ("Gửi phản hồi") with
//! real labels, errors tied to their fields and a live counter; and the published list ("Xem
//! phản hồi") with its count, sort buttons, items, newsroom replies, likes and "Xem thêm".
//! Everything a reader wrote is set as text, never as markup. It only reads and writes the DOM.

use super::model::{Model, Phase, Sending, FIELDS};
use super::words::{words, Words};
use crate::dom::{self, attr, set_text, show, text};
use crate::i18n::{self, Lang};
use bangtin_api::feedback::{char_count, Field, Problem, Sort};
use core::cell::{Cell, RefCell};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

const CSS: &str = "\
.panel{--e:var(--bangtin-error,#b42318);display:grid;gap:1.5rem;min-width:0;overflow-wrap:anywhere}\
h2{font-size:1.25em;margin:0 0 .5rem}\
form,.field,li,.reply{display:grid;gap:.5rem}\
label,.name{font-weight:600}\
input,textarea{font:inherit;color:inherit;background:var(--bangtin-bg,#fff);padding:.5em;\
border:1px solid var(--m);border-radius:.375rem;max-width:100%;box-sizing:border-box}\
textarea{resize:vertical;min-height:7.5em}\
[aria-invalid=true]{border:2px solid var(--e)}\
.err{color:var(--e)}\
.err,.count,time{font-size:.875em}\
.err:empty,.status:empty,.hp{display:none}\
.count,time{color:var(--m)}\
.count::after{content:'/3.000'}[lang=en] .count::after{content:'/3,000'}\
.total::before{content:' ('}.total::after{content:')'}\
button{padding:.375em 1em;min-height:2.75em;border:1px solid var(--a);background:none;color:var(--a);justify-self:start}\
.submit{background:var(--a);color:var(--bangtin-on-accent,#fff)}\
[aria-pressed=true]{background:var(--h);font-weight:600}\
.sort{display:flex;flex-wrap:wrap;gap:.5rem;margin-bottom:.75rem}\
ol{list-style:none;margin:0;padding:0;display:grid;gap:1rem}\
li{border-top:1px solid var(--bangtin-border,#d0d0d0);padding-top:.75rem}\
.name{margin-right:.75em}\
.text{white-space:pre-wrap}\
.reply{margin-left:1rem;padding:.5rem .75rem;border-left:3px solid var(--a);background:var(--h)}";

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
   input*|type=hidden|name=id
   button.submit|type=submit|>$
   p.status*|role=status
 section.list|aria-labelledby=list-h
  h2|id=list-h|>$
   span.total*
  div.sort|role=group|aria-label=$
   button*|type=button|data-sort=newest|>$
   button*|type=button|data-sort=liked|>$
  p*|>$
  ol*
  button.more*|type=button|>$";

/// One item of the list (see `dom::fill`): name, time, text, its replies (`*`) and its like
/// button; the words are "Thích" and "lượt thích".
const ITEM: &str = "\
li*|tabindex=-1
 p.meta
  span.name|>.name
  time|>@created_at
 p.text|>.message
 div*
 button.like|type=button|data-like=.id|aria-pressed=.liked
  span|>$
  span|> · 
  span|>.likes
  span|>$";
/// A newsroom reply under an item; the word is "Tòa soạn trả lời".
const REPLY: &str = "\
div.reply
 p.meta
  span.name|>$
  time|>@created_at
 p.text|>.message";

// The marked elements of [`TEMPLATE`], in order.
const SLOT: usize = 0;
const PANEL: usize = 1;
const FORM: usize = 2;
/// Each field's input and error line, in [`FIELDS`] order.
const INPUTS: [usize; 3] = [3, 5, 7];
const ERRORS: [usize; 3] = [4, 6, 9];
const MESSAGE: usize = 7;
const COUNT: usize = 8;
/// The key of the message (see `Form::id`), a hidden field: kept with the draft.
const ID: usize = 10;
const STATUS: usize = 11;
/// The count in the list's heading.
const HEADING: usize = 12;
/// The sort buttons, newest then liked.
const SORTS: usize = 13;
const EMPTY: usize = 15;
const LIST: usize = 16;
const MORE: usize = 17;

/// The widget's elements.
pub struct View {
    lang: Lang,
    root: ShadowRoot,
    els: [HtmlElement; 18],
    revision: Cell<u32>,
}

impl View {
    /// Builds the widget in `host`'s shadow root. The host's own children stay visible (through
    /// a slot) until the list arrives, and again if it never does.
    pub fn new(host: &HtmlElement, lang: Lang) -> Result<View, JsValue> {
        let root = dom::fresh_shadow(host)?;
        SHEET.with_borrow_mut(|sheet| dom::adopt(&root, CSS, sheet));
        let texts = JsValue::from_str(words(lang).template);
        let marked = dom::build(&root, TEMPLATE, &texts)?;
        Ok(View {
            lang,
            root,
            els: marked.try_into().map_err(|_| JsValue::NULL)?,
            revision: Cell::new(u32::MAX),
        })
    }

    /// The panel, where the widget listens for clicks on sorts, likes and "Xem thêm".
    pub fn panel(&self) -> &HtmlElement {
        &self.els[PANEL]
    }

    /// The form: its fields are the draft and the body of a send (see `dom::values`).
    pub fn form(&self) -> &HtmlElement {
        &self.els[FORM]
    }

    /// Makes the DOM show `model`.
    pub fn render(&self, model: &Model) {
        let ready = model.phase == Phase::Ready;
        show(&self.els[PANEL], ready);
        show(&self.els[SLOT], !ready);
        if !ready {
            return;
        }
        let w = words(self.lang);
        // The model changes a field's text only to clear a sent message: never under the caret.
        if model.form.message.is_empty() {
            dom::set(&self.els[MESSAGE], "value", &JsValue::from_str(""));
        }
        dom::set(&self.els[ID], "value", &JsValue::from_str(&model.form.id));
        for (i, field) in FIELDS.into_iter().enumerate() {
            let error = model.error(field);
            attr(
                &self.els[INPUTS[i]],
                "aria-invalid",
                if error.is_some() { "true" } else { "false" },
            );
            set_text(
                &self.els[ERRORS[i]],
                error.map_or("", |p| problem_text(w, field, p)),
            );
        }
        // The length and the limit ("23/3.000": the limit comes from the style sheet).
        let count = char_count(model.form.message.trim()) as f64;
        dom::set(&self.els[COUNT], "textContent", &JsValue::from(count));
        set_text(
            &self.els[STATUS],
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

    /// Redraws the list. A like button that had keyboard focus has it again after; after "Xem
    /// thêm", focus moves to the first new item.
    fn render_list(&self, model: &Model, w: &Words) {
        // "Xem phản hồi (12)": the brackets come from the style sheet.
        set_text(
            &self.els[HEADING],
            &i18n::number(self.lang, model.total as f64, 0),
        );
        for (button, sort) in self.els[SORTS..].iter().zip([Sort::Newest, Sort::Liked]) {
            attr(
                button,
                "aria-pressed",
                if model.sort == sort { "true" } else { "false" },
            );
        }
        show(&self.els[EMPTY], model.items.is_empty());
        show(&self.els[MORE], model.next.is_some());
        let active = self.root.active_element();
        let from_more = active.as_ref() == Some(self.els[MORE].as_ref());
        let focused = active
            .and_then(|el| el.get_attribute("data-like"))
            .map(|id| ["[data-like=\"", &id, "\"]"].concat());
        let before = dom::get(&dom::get(&self.els[LIST], "children"), "length")
            .as_f64()
            .unwrap_or(0.0);
        text(&self.els[LIST], "");
        let words = JsValue::from_str(w.like);
        let newsroom = JsValue::from_str(w.newsroom);
        for item in &model.items {
            // The model's word on likes (a like may have come since the server sent the item).
            dom::set(&item.raw, "likes", &JsValue::from(item.likes as f64));
            dom::set(&item.raw, "liked", &JsValue::from(item.liked));
            let Ok(marked) = dom::fill(&self.els[LIST], ITEM, &words, &item.raw) else {
                continue;
            };
            let replies = dom::get(&item.raw, "replies").dyn_into::<js_sys::Array>();
            for reply in replies.iter().flat_map(js_sys::Array::iter) {
                if let Some(under) = marked.get(1) {
                    let _ = dom::fill(under, REPLY, &newsroom, &reply);
                }
            }
        }
        let target = match focused {
            Some(selector) => self.els[LIST].query_selector(&selector).ok().flatten(),
            None if from_more => {
                let items = dom::get(&self.els[LIST], "children");
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
            let _ = self.els[INPUTS[i]].focus();
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
