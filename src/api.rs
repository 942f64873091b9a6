//! Talking to the bangtin server: JSON over `fetch`, the batched rating summaries, the reader id.
//!
//! The request and response types are the ones in `bangtin-api`. JSON is parsed and written by the
//! browser (`Response.json()`, `JSON.stringify`) and the values are read and built with `Reflect`
//! ([`ToJs`], [`FromJs`]): serde's error paths would pull `core::fmt` and float printing into the
//! wasm (measured: about 20 KB of the optimized module). `tests/web.rs` checks this codec against
//! serde_json, so the wire format cannot drift from the contract.

use crate::error::{Error, Result};
use bangtin_api::{CastVote, GetRatings, RatingKey, RatingSummaries, RatingSummary, Scale};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A contract type written as a plain JS object, ready for `JSON.stringify`.
pub trait ToJs {
    fn to_js(&self) -> JsValue;
}

/// A contract type read from a parsed JSON value; `None` if the shape is wrong.
pub trait FromJs: Sized {
    fn from_js(value: &JsValue) -> Option<Self>;
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

fn field(value: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(value, &JsValue::from_str(key)).ok()
}

/// A non-negative integer that a JS number holds exactly.
fn whole(value: &JsValue) -> Option<u64> {
    let n = value.as_f64()?;
    (n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0).then_some(n as u64)
}

impl ToJs for RatingKey {
    fn to_js(&self) -> JsValue {
        object(&[
            ("article", JsValue::from_str(&self.article)),
            ("scale", JsValue::from_str(self.scale.as_str())),
        ])
    }
}

impl ToJs for GetRatings {
    fn to_js(&self) -> JsValue {
        let items: Array = self.items.iter().map(ToJs::to_js).collect();
        match &self.reader {
            Some(reader) => object(&[("reader", reader.into()), ("items", items.into())]),
            None => object(&[("items", items.into())]),
        }
    }
}

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

impl FromJs for RatingSummary {
    fn from_js(value: &JsValue) -> Option<Self> {
        let mine = field(value, "mine")?;
        let mine = if mine.is_null() || mine.is_undefined() {
            None
        } else {
            Some(u8::try_from(whole(&mine)?).ok()?)
        };
        Some(RatingSummary {
            article: field(value, "article")?.as_string()?,
            scale: Scale::parse(&field(value, "scale")?.as_string()?)?,
            count: whole(&field(value, "count")?)?,
            sum: whole(&field(value, "sum")?)?,
            mine,
        })
    }
}

impl FromJs for RatingSummaries {
    fn from_js(value: &JsValue) -> Option<Self> {
        let list = field(value, "summaries")?.dyn_into::<Array>().ok()?;
        let summaries = list
            .iter()
            .map(|item| RatingSummary::from_js(&item))
            .collect::<Option<Vec<_>>>()?;
        Some(RatingSummaries { summaries })
    }
}

/// `POST`s `body` as JSON to `base` + `path` and reads the answer as `R`.
/// `signal` aborts the request (an unmounted widget drops its controller).
pub async fn post<B: ToJs, R: FromJs>(
    base: &str,
    path: &str,
    body: &B,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<R> {
    let window = web_sys::window().ok_or(Error::Network)?;
    let text = js_sys::JSON::stringify(&body.to_js())?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&text);
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_signal(signal);
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "application/json")?;
    init.set_headers(&headers);
    let url = [base, path].concat();
    let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|e| {
            // An aborted fetch rejects with a DOMException named "AbortError".
            let aborted = js_sys::Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|name| name.as_string())
                .is_some_and(|name| name == "AbortError");
            if aborted {
                Error::Aborted
            } else {
                Error::Network
            }
        })?;
    let response: web_sys::Response = response.dyn_into()?;
    let json = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if !response.ok() {
        let code = json
            .as_ref()
            .and_then(|j| js_sys::Reflect::get(j, &"error".into()).ok())
            .and_then(|e| js_sys::Reflect::get(&e, &"code".into()).ok())
            .and_then(|c| c.as_string());
        return Err(Error::Status(response.status(), code));
    }
    json.as_ref().and_then(R::from_js).ok_or(Error::Decode)
}

/// Where one widget's summary goes when the batch answers.
pub type Deliver = Box<dyn FnOnce(Result<RatingSummary, ()>)>;

struct Pending {
    keys: Vec<RatingKey>,
    waiting: Vec<(usize, Deliver)>,
}

thread_local! {
    /// Summaries asked for in the current task, per API base, not yet sent.
    static BATCH: RefCell<BTreeMap<String, Pending>> = const { RefCell::new(BTreeMap::new()) };
}

/// Asks for one rating summary. Every request made in the same task (all the widgets a page
/// mounts at once) travels in one `POST /api/v1/ratings/summary` per server.
pub fn request_summary(base: &str, key: RatingKey, deliver: Deliver) {
    let first = BATCH.with_borrow_mut(|batch| {
        let first = batch.is_empty();
        let pending = batch.entry(base.into()).or_insert_with(|| Pending {
            keys: Vec::new(),
            waiting: Vec::new(),
        });
        let index = match pending.keys.iter().position(|k| *k == key) {
            Some(index) => index,
            None => {
                pending.keys.push(key);
                pending.keys.len() - 1
            }
        };
        pending.waiting.push((index, deliver));
        first
    });
    if first {
        // spawn_local runs after the current task's synchronous work: the batch is complete then.
        wasm_bindgen_futures::spawn_local(flush());
    }
}

async fn flush() {
    let batch = BATCH.with_borrow_mut(std::mem::take);
    for (base, pending) in batch {
        let result = fetch_summaries(&base, pending.keys).await;
        if result.is_err() {
            crate::dom::warn(&["rating: could not load ratings from ", &base]);
        }
        for (index, deliver) in pending.waiting {
            let summary = match &result {
                Ok(all) => all.get(index).cloned().ok_or(()),
                Err(_) => Err(()),
            };
            deliver(summary);
        }
    }
}

/// Reads summaries for `keys` (any number) in requests of at most `MAX_BATCH`, answering in order.
async fn fetch_summaries(base: &str, keys: Vec<RatingKey>) -> Result<Vec<RatingSummary>> {
    let reader = reader_id(false);
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(bangtin_api::MAX_BATCH) {
        let request = GetRatings {
            reader: reader.clone(),
            items: chunk.to_vec(),
        };
        let answer: RatingSummaries =
            post(base, bangtin_api::RATINGS_SUMMARY_PATH, &request, None).await?;
        if answer.summaries.len() != chunk.len() {
            return Err(Error::Decode);
        }
        out.extend(answer.summaries);
    }
    Ok(out)
}

const READER_KEY: &str = "bangtin:reader";

thread_local! {
    /// The reader id when the page's storage is unavailable: lives as long as the page.
    static SESSION_READER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The reader's random id from the host page's localStorage; with `create`, made on first use.
/// Without storage (blocked, private mode) the id lasts for this page view only.
pub fn reader_id(create: bool) -> Option<String> {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(READER_KEY).ok().flatten())
        .filter(|id| bangtin_api::valid_reader_id(id))
    {
        return Some(id);
    }
    if let Some(id) = SESSION_READER.with_borrow(Clone::clone) {
        return Some(id);
    }
    if !create {
        return None;
    }
    let id = random_hex()?;
    let stored = storage.is_some_and(|s| s.set_item(READER_KEY, &id).is_ok());
    if !stored {
        SESSION_READER.set(Some(id.clone()));
    }
    Some(id)
}

/// 128 random bits as 32 lowercase hex digits, from `crypto.getRandomValues`.
fn random_hex() -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(32);
    for b in bytes {
        id.push(HEX[usize::from(b >> 4)] as char);
        id.push(HEX[usize::from(b & 15)] as char);
    }
    Some(id)
}
