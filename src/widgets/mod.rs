//! The widgets, one folder each, and the registry of mounted ones.
//!
//! A mounted widget lives in the registry under its handle; its listeners and async tasks refer to
//! it by handle only, so unmounting (dropping it) releases everything and late answers find nothing.

pub mod rating;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// What the loader tells every widget: where the server is and the page's language.
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    /// Base URL of the bangtin server, without a trailing slash.
    pub api: String,
    pub lang: Lang,
}

impl Context {
    /// Reads `{api, lang}` from the loader; a missing `api` means this page's origin.
    pub fn from_js(value: &JsValue) -> Context {
        let get = |key: &str| {
            js_sys::Reflect::get(value, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        let api = get("api")
            .or_else(|| web_sys::window().and_then(|w| w.location().origin().ok()))
            .unwrap_or_default();
        let lang = get("lang")
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        Context {
            api: api.trim_end_matches('/').into(),
            lang,
        }
    }
}

enum Live {
    Rating(Rc<RefCell<rating::Rating>>),
}

thread_local! {
    static LIVE: RefCell<BTreeMap<u32, Live>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT: Cell<u32> = const { Cell::new(1) };
}

/// Mounts widget `kind` into `element`; see [`crate::mount`].
pub fn mount(
    element: web_sys::HtmlElement,
    kind: &str,
    config: &JsValue,
    context: &JsValue,
) -> Result<u32> {
    let handle = NEXT.get();
    NEXT.set(handle.wrapping_add(1).max(1));
    let context = Context::from_js(context);
    let live = match kind {
        "rating" => Live::Rating(rating::Rating::mount(handle, element, config, &context)?),
        _ => return Err(Error::UnknownWidget),
    };
    LIVE.with_borrow_mut(|live_map| live_map.insert(handle, live));
    Ok(handle)
}

/// Unmounts the widget behind `handle`, if it is still mounted.
pub fn unmount(handle: u32) {
    // Take it out first and drop it after the borrow ends: Drop touches the DOM.
    let gone = LIVE.with_borrow_mut(|live| live.remove(&handle));
    drop(gone);
}

/// Number of mounted widgets (for tests and the JS API).
pub fn mounted() -> usize {
    LIVE.with_borrow(BTreeMap::len)
}

/// The rating widget behind `handle`, if it is still mounted.
fn rating(handle: u32) -> Option<Rc<RefCell<rating::Rating>>> {
    LIVE.with_borrow(|live| match live.get(&handle) {
        Some(Live::Rating(widget)) => Some(Rc::clone(widget)),
        None => None,
    })
}
