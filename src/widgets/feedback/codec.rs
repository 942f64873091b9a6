//! The feedback widget's wire format, read and written through `Reflect` (see `crate::api`): the
//! send, the like, the pages of the list, and its first data in a boot answer. `tests.rs` checks
//! each against the contract's serde derive in a browser.

use super::model::{Item, Page};
use crate::api::{field, object, text, whole};
use alloc::string::String;
use alloc::vec::Vec;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

/// The body of a send (a [`bangtin_api::feedback::SubmitFeedback`]): the form's fields as
/// typed (`dom::values`: name, email if any, message, its key, the honeypot if filled) and
/// what the widget adds.
pub fn submit(fields: &JsValue, article: &str, reader: &str, token: &str) -> JsValue {
    for (key, value) in [("article", article), ("reader", reader), ("form", token)] {
        crate::dom::set(fields, key, &JsValue::from_str(value));
    }
    fields.clone()
}

/// The body of a like (a [`bangtin_api::feedback::LikeFeedback`]).
pub fn like(id: &str, reader: &str) -> JsValue {
    object(&[("id", id.into()), ("reader", reader.into())])
}

/// One published item: its key and likes for the model; its name, text, time and replies stay
/// in the JS object for the view, which sets them as text whatever they hold.
pub fn read_item(value: &JsValue) -> Option<Item> {
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

/// The answer to a send: whether it is published already (else it waits for moderation);
/// `None` when the answer is not of that shape.
pub fn read_submitted(value: &JsValue) -> Option<bool> {
    match text(value, "status")?.as_str() {
        "pending" => Some(false),
        "published" => Some(true),
        _ => None,
    }
}

/// The item and its likes after a like ([`bangtin_api::feedback::Liked`]).
pub fn read_liked(value: &JsValue) -> Option<(String, u64)> {
    Some((text(value, "id")?, whole(&field(value, "likes")?)?))
}
