//! The feedback widget's wire format, read and written through `Reflect` (see `crate::api`): the
//! send, the like, the pages of the list, and its first data in a boot answer. `tests.rs` checks
//! each against the contract's serde derive in a browser.

use super::model::{Form, Item, Page};
use crate::api::{field, strings, text, whole};
use alloc::string::String;
use alloc::vec::Vec;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

/// The body of a send (a [`bangtin_api::feedback::SubmitFeedback`]): the form as typed, under
/// its key ([`Form::id`]), with the form token and the honeypot's text.
pub fn submit(form: &Form, article: &str, reader: &str, token: &str, website: &str) -> JsValue {
    let email = form.email.trim();
    let fields = [
        ("id", form.id.as_str()),
        ("article", article),
        ("name", &form.name),
        ("message", &form.message),
        ("reader", reader),
        ("form", token),
        ("website", website),
        ("email", email),
    ];
    strings(&fields[..if email.is_empty() { 7 } else { 8 }])
}

/// The body of a like (a [`bangtin_api::feedback::LikeFeedback`]).
pub fn like(id: &str, reader: &str) -> JsValue {
    strings(&[("id", id), ("reader", reader)])
}

/// `value[key]` if it is a string.
fn string(value: &JsValue, key: &str) -> Option<JsValue> {
    field(value, key).filter(JsValue::is_string)
}

/// One published item, checked: its key and likes for the model; its name, text, time and
/// replies stay in the JS object for the view.
pub fn read_item(value: &JsValue) -> Option<Item> {
    string(value, "name")?;
    string(value, "message")?;
    whole(&field(value, "created_at")?)?;
    if let Some(replies) = field(value, "replies") {
        for reply in replies.dyn_into::<Array>().ok()?.iter() {
            string(&reply, "message")?;
            whole(&field(&reply, "created_at")?)?;
        }
    }
    Some(Item {
        id: text(value, "id")?,
        likes: whole(&field(value, "likes")?)?,
        liked: field(value, "liked").is_some_and(|l| l.is_truthy()),
        liking: false,
        raw: value.clone(),
    })
}

/// A page of the list.
pub fn read_page(value: &JsValue) -> Option<Page> {
    let mut items = Vec::new();
    for item in field(value, "items")?.dyn_into::<Array>().ok()?.iter() {
        items.push(read_item(&item)?);
    }
    Some(Page {
        total: whole(&field(value, "total")?)?,
        items,
        next: text(value, "next"),
        form: text(value, "form")?,
    })
}

/// The widget's first data (from a boot request) if it is for `key` (`newest:ARTICLE`): its
/// first page, or `Err(code)` if the server refused the widget's options. `None` when the answer
/// is missing, of another shape, or for another key.
pub fn read_first(value: &JsValue, key: &str) -> Option<Result<Page, String>> {
    if text(value, "key")? != key {
        return None;
    }
    match field(value, "error") {
        Some(error) => Some(Err(text(&error, "code")?)),
        None => read_page(value).map(Ok),
    }
}

/// The answer to a send: `Some(item)` when it is published already, `None` when it waits for
/// moderation; `Err(())` when the answer is not of that shape.
pub fn read_submitted(value: &JsValue) -> Result<Option<Item>, ()> {
    match text(value, "status").as_deref() {
        Some("pending") => Ok(None),
        Some("published") => field(value, "item")
            .as_ref()
            .and_then(read_item)
            .map(Some)
            .ok_or(()),
        _ => Err(()),
    }
}

/// The answer to a like: the item and its likes.
pub fn read_liked(value: &JsValue) -> Option<(String, u64)> {
    Some((text(value, "id")?, whole(&field(value, "likes")?)?))
}
