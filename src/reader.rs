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

/// The page's `localStorage` or `sessionStorage`, if it can be used (their getters throw in
/// sandboxed frames and some private modes, or when a page blocks them).
pub fn area(name: &str) -> Option<JsValue> {
    Some(dom::get(&dom::window(), name)).filter(JsValue::is_object)
}

/// `localStorage.getItem(key)`, if there is such an item and storage can be read.
pub fn stored(key: &str) -> Option<String> {
    stored_in("localStorage", key)
}

/// `<area>.getItem(key)`, if there is such an item and storage can be read.
pub fn stored_in(name: &str, key: &str) -> Option<String> {
    dom::call(&area(name)?, "getItem", &[JsValue::from_str(key)])
        .ok()?
        .as_string()
}

/// `localStorage.setItem(key, value)`; false if storage is unavailable or full.
pub fn store(key: &str, value: &str) -> bool {
    store_in("localStorage", key, Some(value))
}

/// `<area>.setItem(key, value)`, or `removeItem(key)` for `None`; false if storage is
/// unavailable or full.
pub fn store_in(name: &str, key: &str, value: Option<&str>) -> bool {
    area(name).is_some_and(|s| {
        let key = JsValue::from_str(key);
        match value {
            Some(value) => dom::call(&s, "setItem", &[key, JsValue::from_str(value)]),
            None => dom::call(&s, "removeItem", &[key]),
        }
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
pub fn random_hex() -> Option<String> {
    let uuid = dom::call(&dom::get(&dom::window(), "crypto"), "randomUUID", &[]).ok()?;
    let id: String = uuid.as_string()?.chars().filter(|c| *c != '-').collect();
    bangtin_api::valid_reader_id(&id).then_some(id)
}
