//! The reader's random id, for the widgets that record a reader's choice (a vote, a like) so
//! that a second one replaces the first. It lives in the host page's localStorage, created on
//! the reader's first choice; without storage it lasts for the page view.

use crate::dom;
use alloc::string::String;
use core::cell::RefCell;
use wasm_bindgen::JsValue;

const READER_KEY: &str = "bangtin:reader";

crate::local::local! {
    /// The reader id when the page's storage is unavailable: lives as long as the page.
    static SESSION_READER: RefCell<Option<String>> = RefCell::new(None);
}

/// The page's localStorage, if it can be used (its getter throws in sandboxed frames and some
/// private modes, or when a page blocks it).
pub fn storage() -> Option<JsValue> {
    Some(dom::get(&dom::window(), "localStorage")).filter(JsValue::is_object)
}

/// `localStorage.getItem(key)`, if there is such an item and storage can be read.
pub fn stored(key: &str) -> Option<String> {
    dom::call(&storage()?, "getItem", &[JsValue::from_str(key)])
        .ok()?
        .as_string()
}

/// `localStorage.setItem(key, value)`; false if storage is unavailable or full.
pub fn store(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| {
        dom::call(
            &s,
            "setItem",
            &[JsValue::from_str(key), JsValue::from_str(value)],
        )
        .is_ok()
    })
}

/// The reader's id; with `create`, made on first use.
pub fn id(create: bool) -> Option<String> {
    if let Some(id) = stored(READER_KEY).filter(|id| bangtin_api::valid_reader_id(id)) {
        return Some(id);
    }
    if let Some(id) = SESSION_READER.with_borrow(Clone::clone) {
        return Some(id);
    }
    if !create {
        return None;
    }
    let id = random_hex()?;
    if !store(READER_KEY, &id) {
        SESSION_READER.set(Some(id.clone()));
    }
    Some(id)
}

/// 122 random bits as 32 lowercase hex digits: `crypto.randomUUID()` without its dashes.
fn random_hex() -> Option<String> {
    let uuid = dom::call(&dom::get(&dom::window(), "crypto"), "randomUUID", &[]).ok()?;
    let id: String = uuid.as_string()?.chars().filter(|c| *c != '-').collect();
    bangtin_api::valid_reader_id(&id).then_some(id)
}
