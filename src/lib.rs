//! bangtin: reader widgets for news sites, compiled to WebAssembly.
//!
//! The loader (`www/bangtin.js`) defines the custom elements and calls the three functions exported
//! here; everything else is plain Rust behind them. Each widget lives in `widgets/<name>/`, with a
//! pure `model.rs` (state and decisions, native tests) and a thin `view.rs` (the DOM).

pub mod api;
pub mod config;
pub mod dom;
pub mod error;
pub mod i18n;
pub mod widgets;

use wasm_bindgen::prelude::*;

/// Renders the widget `kind` ("rating", …) into `element`'s shadow root and returns a handle for
/// [`unmount`]. `config` is a plain object of options that win over the element's attributes;
/// `context` carries `api` (the server's base URL) and `lang` (the page's default language).
#[wasm_bindgen]
pub fn mount(
    element: web_sys::HtmlElement,
    kind: &str,
    config: JsValue,
    context: JsValue,
) -> Result<u32, JsValue> {
    #[cfg(feature = "debug")]
    console_error_panic_hook::set_once();
    widgets::mount(element, kind, &config, &context).map_err(JsValue::from)
}

/// Releases everything the widget behind `handle` holds: listeners, timers, requests in flight.
/// The element shows its own (fallback) children again. Unknown handles are ignored.
#[wasm_bindgen]
pub fn unmount(handle: u32) {
    widgets::unmount(handle);
}

/// The version of this bundle, e.g. "0.1.0".
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
