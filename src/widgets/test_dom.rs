//! What the widgets' browser tests share: a host element on the page, and lookups in its
//! shadow root.
#![allow(clippy::unwrap_used)]

use alloc::string::String;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A `<div>` holding `html`, appended to the page's body.
pub fn host(html: &str) -> HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    el.set_inner_html(html);
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// The first element of `el`'s shadow root matching `selector` (a test failure if none).
pub fn query(el: &HtmlElement, selector: &str) -> Element {
    el.shadow_root()
        .unwrap()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// How many elements of `el`'s shadow root match `selector`.
pub fn count(el: &HtmlElement, selector: &str) -> u32 {
    el.shadow_root()
        .unwrap()
        .query_selector_all(selector)
        .unwrap()
        .length()
}

/// The text of the first element matching `selector`.
pub fn text_of(el: &HtmlElement, selector: &str) -> String {
    query(el, selector).text_content().unwrap()
}
