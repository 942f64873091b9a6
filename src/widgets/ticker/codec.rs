//! The ticker's wire format, read through `Reflect` (see `crate::api`): the news of a feed, and
//! its first data in a boot answer. `tests.rs` checks both against the contract's serde derive
//! in a browser.

use crate::api::{field, text, whole};
use alloc::string::String;
use alloc::vec::Vec;
use bangtin_api::ticker::NewsItem;
use wasm_bindgen::JsValue;

/// One headline; `None` when it lacks what every item has.
pub fn read_item(value: &JsValue) -> Option<NewsItem> {
    Some(NewsItem {
        id: text(value, "id")?,
        title: text(value, "title")?,
        url: text(value, "url")?,
        published_at: match field(value, "published_at") {
            Some(at) if !at.is_null() => Some(whole(&at)?),
            _ => None,
        },
        section: text(value, "section"),
        breaking: field(value, "breaking").is_some_and(|b| b.is_truthy()),
    })
}

/// The items of a [`bangtin_api::ticker::News`]. An item of another shape is left out; an
/// answer without a list of items is `None`.
pub fn read_news(value: &JsValue) -> Option<Vec<NewsItem>> {
    let items = field(value, "items").filter(js_sys::Array::is_array)?;
    let length = crate::dom::get(&items, "length").as_f64().unwrap_or(0.0) as u32;
    Some(
        (0..length)
            .filter_map(|i| read_item(&js_sys::Reflect::get_u32(&items, i).ok()?))
            .collect(),
    )
}

/// The ticker's first data (from a boot request) if it is for `key` (`FEED:LIMIT`): its news,
/// or `Err(code)` if the server refused the widget's options. `None` when the answer is missing,
/// of another shape, or for another key.
pub fn read_first(value: &JsValue, key: &str) -> Option<Result<Vec<NewsItem>, String>> {
    if text(value, "key")? != key {
        return None;
    }
    match field(value, "error") {
        Some(error) => Some(Err(text(&error, "code")?)),
        None => read_news(value).map(Ok),
    }
}
