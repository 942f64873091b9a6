//! Talking to the bangtin server: JSON over `fetch`, the batched rating summaries, the reader id.
//!
//! JSON is parsed by the browser (`Response.json()`) and read with `serde_wasm_bindgen`, so the
//! wasm carries no JSON parser. The request and response types are the ones in `bangtin-api`.

use crate::error::{Error, Result};
use bangtin_api::{GetRatings, RatingKey, RatingSummaries, RatingSummary};
use serde::{de::DeserializeOwned, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// `POST`s `body` as JSON to `base` + `path` and reads the answer as `R`.
/// `signal` aborts the request (an unmounted widget drops its controller).
pub async fn post<B: Serialize, R: DeserializeOwned>(
    base: &str,
    path: &str,
    body: &B,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<R> {
    let window = web_sys::window().ok_or(Error::Network)?;
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    let text = js_sys::JSON::stringify(&value)?;
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
    Ok(serde_wasm_bindgen::from_value(json.ok_or(Error::Decode)?)?)
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
