//! The ticker's wire format: the news of a feed (its items read by `view.js`, which costs a
//! fraction of the wasm that reads them field by field), and its first data in a boot answer
//! (read through `Reflect`, see `crate::api`). `tests.rs` checks both against the contract's serde derive
//! in a browser.

use super::model::Line;
use crate::api::{field, text};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(module = "/src/widgets/ticker/view.js")]
extern "C" {
    /// The items as six texts each (see `view.js`), or `undefined`.
    #[wasm_bindgen(js_name = lines)]
    fn js_lines(news: &JsValue, now: f64, fresh: u32) -> JsValue;
}

/// The items of a [`bangtin_api::ticker::News`] as the ticker shows them at `now` (see
/// `Line::of`, whose rules `view.js` follows: no date arithmetic in the wasm): pinned first,
/// each group in the server's order. An item of another shape is left out; an answer without a
/// list of items is `None`.
pub fn read_lines(value: &JsValue, now: u64, fresh: u32) -> Option<Vec<Line>> {
    let texts = js_lines(value, now as f64, fresh);
    if !js_sys::Array::is_array(&texts) {
        return None;
    }
    let list = js_sys::Array::from(&texts);
    let mut texts = list.iter().map(|text| text.as_string().unwrap_or_default());
    let mut next = || texts.next().unwrap_or_default();
    let mut lines = Vec::new();
    for _ in 0..list.length() / 6 {
        let (id, title, url, time, section, flags) =
            (next(), next(), next(), next(), next(), next());
        lines.push(Line {
            id,
            title,
            url: (!url.is_empty()).then_some(url),
            time,
            section,
            breaking: flags.as_bytes().contains(&b'b'),
            new: flags.as_bytes().contains(&b'n'),
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
