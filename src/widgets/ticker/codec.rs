//! The ticker's wire format, read through `Reflect` (see `crate::api`): the news of a feed, and
//! its first data in a boot answer. `tests.rs` checks both against the contract's serde derive
//! in a browser.

use super::model::Line;
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

/// The items of a [`bangtin_api::ticker::News`] as the ticker shows them at `now` (see
/// `Line::of`): pinned first, each group in the server's order (two passes over the list: no
/// sort in the wasm). An item of another shape is left out; an answer without a list of items
/// is `None`.
pub fn read_lines(value: &JsValue, now: u64, fresh: u32) -> Option<Vec<Line>> {
    let items = field(value, "items").filter(js_sys::Array::is_array)?;
    let length = crate::dom::get(&items, "length").as_f64().unwrap_or(0.0) as u32;
    let mut lines = Vec::new();
    for pinned in [true, false] {
        for i in 0..length {
            let item = js_sys::Reflect::get_u32(&items, i).unwrap_or(JsValue::UNDEFINED);
            match read_item(&item) {
                Some(item) if item.breaking == pinned => lines.push(Line::of(item, now, fresh)),
                _ => {}
            }
        }
    }
    Some(lines)
}

/// The ticker's first data (from a boot request) if it is for `key` (`FEED:LIMIT`): its lines
/// (as [`read_lines`]), or `Err(code)` if the server refused the widget's options. `None` when
/// the answer is missing, of another shape, or for another key.
pub fn read_first(
    value: &JsValue,
    key: &str,
    now: u64,
    fresh: u32,
) -> Option<Result<Vec<Line>, String>> {
    if text(value, "key")? != key {
        return None;
    }
    match field(value, "error") {
        Some(error) => Some(Err(text(&error, "code")?)),
        None => read_lines(value, now, fresh).map(Ok),
    }
}
