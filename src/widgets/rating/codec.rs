//! The rating's wire format, read and written through `Reflect` (see `crate::api`): the vote it
//! sends, the summary it gets back, and its first data in a boot answer. `tests.rs` checks each
//! against the contract's serde derive in a browser.

use crate::api::{field, object, text, whole, ToJs};
use alloc::string::String;
use bangtin_api::{CastVote, RatingCounts, RatingSummary, Scale};
use wasm_bindgen::JsValue;

impl ToJs for CastVote {
    fn to_js(&self) -> JsValue {
        object(&[
            ("article", JsValue::from_str(&self.article)),
            ("scale", JsValue::from_str(self.scale.as_str())),
            ("value", JsValue::from(self.value)),
            ("reader", JsValue::from_str(&self.reader)),
        ])
    }
}

/// `{count, sum, mine}` from a parsed JSON object.
pub fn read_counts(value: &JsValue) -> Option<RatingCounts> {
    let mine = match field(value, "mine") {
        None => None,
        Some(mine) if mine.is_null() => None,
        Some(mine) => Some(u8::try_from(whole(&mine)?).ok()?),
    };
    Some(RatingCounts {
        count: whole(&field(value, "count")?)?,
        sum: whole(&field(value, "sum")?)?,
        mine,
    })
}

/// The answer to a vote.
pub fn read_summary(value: &JsValue) -> Option<RatingSummary> {
    let counts = read_counts(value)?;
    Some(RatingSummary {
        article: text(value, "article")?,
        scale: Scale::parse(&text(value, "scale")?)?,
        count: counts.count,
        sum: counts.sum,
        mine: counts.mine,
    })
}

/// The rating's first data (from a boot request) if it is for `item`: its counts, or
/// `Err(code)` if the server refused the widget's options. `None` when the answer is missing, of
/// another shape, or for another key (the page's attributes were read differently).
pub fn read_first(value: &JsValue, item: &str) -> Option<Result<RatingCounts, String>> {
    if text(value, "key")? != item {
        return None;
    }
    match field(value, "error") {
        Some(error) => Some(Err(text(&error, "code")?)),
        None => read_counts(value).map(Ok),
    }
}
