//! Talking to the bangtin server, for every widget: requests with a timeout, and the batched
//! first-data read. The mechanics live in `www/transport.js`, bundled into the glue: there they
//! cost a fraction of what the same logic costs as wasm plus its import shims. This module turns
//! its answers into [`Error`]s and gives the `Reflect` helpers each widget's codec
//! (`widgets/<name>/codec.rs`) reads and builds the `bangtin-api` contract types with.
//!
//! No serde here: serde's error paths would pull `core::fmt` and float printing into the wasm
//! (measured: about 20 KB of the optimized module). Each codec is checked against serde_json in a
//! browser test, so the wire format cannot drift from the contract.

use crate::dom;
use crate::error::{Error, Result};
use alloc::string::String;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(module = "/www/transport.js")]
extern "C" {
    #[wasm_bindgen(js_name = first)]
    fn js_first(
        api: &str,
        reader: &JsValue,
        kind: &str,
        params: &Array,
        deliver: &Function,
        given: &JsValue,
    );
    #[wasm_bindgen(js_name = write)]
    fn js_write(url: &str, body: &JsValue, signal: &JsValue, key: &str, done: &Function);
    #[wasm_bindgen(js_name = queued)]
    fn js_queued(key: &str, done: &Function) -> JsValue;
    /// `GET url` that revalidates the browser's cached copy (`cache: 'no-cache'`: the browser
    /// sends the `ETag` it kept as `If-None-Match`, and a `304` reuses its copy, no CORS
    /// preflight needed); `done` hears `[status, json, retryAfter]` (see [`answer_of`]).
    pub fn revalidate(url: &str, done: &Function);
}

/// A contract type written as a plain JS object, ready for `JSON.stringify`.
pub trait ToJs {
    fn to_js(&self) -> JsValue;
}

/// A plain object with these fields.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// `value[key]`, if `value` is an object that has it.
pub fn field(value: &JsValue, key: &str) -> Option<JsValue> {
    Some(dom::get(value, key)).filter(|v| !v.is_undefined())
}

/// `value[key]` as a string.
pub fn text(value: &JsValue, key: &str) -> Option<String> {
    field(value, key)?.as_string()
}

/// A non-negative integer that a JS number holds exactly.
pub fn whole(value: &JsValue) -> Option<u64> {
    let n = value.as_f64()?;
    // `as` saturates and truncates: a whole number in range survives the round trip exactly.
    ((0.0..=9_007_199_254_740_991.0).contains(&n) && (n as u64) as f64 == n).then_some(n as u64)
}

/// `POST url` with `body` as JSON, for a write that must outlive a lost connection: when no
/// answer comes at all it waits in the page's outbox under `key` (a newer write under the same
/// key replaces it) and is sent when the network returns, once across the site's tabs. `done`
/// hears [`Error::Queued`], then the answer (or [`Error::SentElsewhere`]); keep it in the widget.
pub fn write(
    url: &str,
    body: &JsValue,
    controller: Option<&web_sys::AbortController>,
    key: &str,
    done: &Function,
) {
    let signal = controller.map_or(JsValue::UNDEFINED, |c| c.signal().into());
    js_write(url, body, &signal, key, done);
}

/// The body of a write still waiting in the outbox under `key` (from this visit or an earlier
/// one); `done` hears when it is sent, as for [`write`].
pub fn queued(key: &str, done: &Function) -> Option<JsValue> {
    Some(js_queued(key, done)).filter(JsValue::is_object)
}

/// Sorts the transport's `[status, json, retryAfter]` into an answer or an [`Error`].
pub fn answer_of(answer: &JsValue) -> Result<JsValue> {
    let part = |i: u32| Reflect::get_u32(answer, i).unwrap_or(JsValue::UNDEFINED);
    let status = part(0).as_f64().unwrap_or(0.0);
    let json = part(1);
    if (200.0..300.0).contains(&status) {
        return if json.is_undefined() {
            Err(Error::Decode)
        } else {
            Ok(json)
        };
    }
    Err(match status as i32 {
        0 => Error::Network,
        -1 => Error::Timeout,
        -2 => Error::Aborted,
        -3 => Error::Queued,
        -4 => Error::SentElsewhere,
        status => Error::Status {
            status: u16::try_from(status).unwrap_or(0),
            code: field(&json, "error").and_then(|e| text(&e, "code")),
            retry_after: part(2).as_f64().map(|s| s as u32).filter(|s| *s > 0),
        },
    })
}

/// Asks for a widget's first data: `params` are its resolved options. `given` (the context's
/// `first`) is the loader's boot answer for it, offered first; else, or when it is not for this
/// widget, the ask is batched with every widget asking in this task. `deliver` gets an item (or
/// `undefined` when the request failed) and returns whether it still wants the data; transient
/// failures are tried again with backoff. Keep `deliver` in the widget: once it is dropped,
/// nothing more is delivered.
pub fn first(api: &str, kind: &str, params: &[(&str, &str)], deliver: &Function, given: &JsValue) {
    let list = Array::new();
    for (name, value) in params {
        list.push(&JsValue::from_str(name));
        list.push(&JsValue::from_str(value));
    }
    let reader = crate::reader::id(false).map_or(JsValue::UNDEFINED, |r| JsValue::from_str(&r));
    js_first(api, &reader, kind, &list, deliver, given);
}
