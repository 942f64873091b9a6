//! The ticker's wire format: the news of a feed (its items read by `view.js`, which costs a
//! fraction of the wasm that reads them field by field), and its first data in a boot answer
//! (read through `Reflect`, see `crate::api`). `tests.rs` checks both against the contract's serde derive
//! in a browser.

use super::model::Line;
use crate::api::{field, text};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen(module = "/src/widgets/ticker/view.js")]
extern "C" {
    /// The items as three values each (see `view.js`), or `undefined`. (`i32`, not `u32`:
    /// wasm-bindgen then imports it as it is, with no shim.)
    #[wasm_bindgen(js_name = lines)]
    fn js_lines(news: &JsValue, now: f64, fresh: i32) -> JsValue;
}

/// The items of a [`bangtin_api::ticker::News`] as the ticker shows them at `now` (see
/// `Line::of`, whose rules `view.js` follows: no date arithmetic in the wasm): pinned first,
/// each group in the server's order. An item of another shape is left out; an answer without a
/// list of items is `None`.
pub fn read_lines(value: &JsValue, now: u64, fresh: u32) -> Option<Vec<Line>> {
    let read = js_lines(value, now as f64, fresh as i32);
    if read.is_undefined() {
        return None;
    }
    // An array from `view.js`: id, pinned, what is shown; again for each item.
    let read = read.unchecked_into::<js_sys::Array>();
    let mut read = read.iter();
    let mut lines = Vec::new();
    while let (Some(id), Some(breaking), Some(shown)) = (read.next(), read.next(), read.next()) {
        lines.push(Line {
            id: id.as_string().unwrap_or_default(),
            breaking: breaking.is_truthy(),
            shown: shown.as_string().unwrap_or_default(),
        });
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
