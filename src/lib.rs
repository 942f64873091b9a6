//! bangtin: reader widgets for news sites, compiled to WebAssembly.
//!
//! The loader (`www/bangtin.js`) defines the custom elements and calls the three functions exported
//! here; everything else is private. Each widget lives in `widgets/<name>/`, owning its options,
//! words, wire codec, a pure `model.rs` (state and decisions, native tests) and a thin `view.rs`
//! (the DOM). The shared modules hold only what every widget uses: the transport (`api`), DOM
//! helpers (`dom`), option parsing (`config`), the choice of language (`i18n`) and the errors.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod api;
#[cfg(any(feature = "rating", feature = "feedback"))]
mod article;
mod config;
mod dom;
mod error;
mod i18n;
mod local;
mod reader;
mod widgets;

pub use config::OptSpec;

/// Without `std` (the bundle), a panic is a trap: no message formatting, no panic hook. The
/// widgets never panic on purpose (`clippy::unwrap_used`); a trap fails the one call, the loader
/// catches it and the element keeps its fallback content.
#[cfg(all(not(feature = "std"), target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Widgets allocate little and briefly; dlmalloc's 8 KB of code would be a third of the wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

use wasm_bindgen::prelude::*;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Renders the widget `kind` ("rating", …) into `element`'s shadow root, with the options its
/// attributes give, and returns a handle for [`unmount`], or 0 if it could not (then one console
/// message says why and the element keeps its fallback content). `context` carries `api` (the
/// server's base URL), `lang` (the page's default language) and `first` (a promise of the
/// widget's first data, when the loader asked for it). Called again for the same element, it
/// applies changed attributes and returns the same handle.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, kind: &str, context: JsValue) -> u32 {
    #[cfg(feature = "debug")]
    console_error_panic_hook::set_once();
    match widgets::mount(element, kind, &context) {
        Ok(handle) => handle,
        Err(error) => {
            let detail = JsValue::from(error);
            dom::warn_with(
                &[kind, ": could not start; showing the fallback content."],
                &detail,
            );
            0
        }
    }
}

/// Releases everything the widget behind `handle` holds: listeners, timers, requests in flight.
/// The element shows its own (fallback) children again. Unknown handles are ignored.
#[wasm_bindgen]
pub fn unmount(handle: u32) {
    widgets::unmount(handle);
}

/// The version of this bundle, e.g. "0.1.0".
#[wasm_bindgen]
pub fn version() -> alloc::string::String {
    env!("CARGO_PKG_VERSION").into()
}

/// One widget as the build tools see it (not compiled into the wasm).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug)]
pub struct WidgetInfo {
    /// As in `<bangtin-NAME>`.
    pub name: &'static str,
    /// Its options table.
    pub options: alloc::vec::Vec<OptSpec>,
}

/// Every widget in this build, from the one list in `widgets/mod.rs`: `cargo xtask` writes the
/// loader's widget list and the README's option tables from it.
#[cfg(not(target_arch = "wasm32"))]
pub fn catalog() -> alloc::vec::Vec<WidgetInfo> {
    widgets::KINDS
        .iter()
        .map(|kind| WidgetInfo {
            name: kind.name,
            options: (kind.spec)(),
        })
        .collect()
}
