//! The widget crate's exported surface (`mount`, `unmount`, `version`) in a real browser
//! (wasm-bindgen-test in headless Chromium), as the loader uses it. Each widget's own browser
//! tests live in its folder (`src/widgets/<name>/tests.rs`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn host(html: &str) -> HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    el.set_inner_html(html);
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn context(api: &str) -> JsValue {
    let ctx = js_sys::Object::new();
    js_sys::Reflect::set(&ctx, &"api".into(), &api.into()).unwrap();
    js_sys::Reflect::set(&ctx, &"lang".into(), &"vi".into()).unwrap();
    ctx.into()
}

/// A closed port (9, discard): no server, no mock.
const OFFLINE: &str = "http://127.0.0.1:9";

fn shadow_children(el: &HtmlElement) -> Vec<String> {
    let root = el.shadow_root().unwrap();
    let kids = root.children();
    (0..kids.length())
        .map(|i| kids.item(i).unwrap().local_name())
        .collect()
}

/// Resolves once the event loop has run `n` macrotasks (lets fetches fail and tasks run).
async fn ticks(n: u32) {
    for _ in 0..n {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .unwrap();
        });
        JsFuture::from(promise).await.unwrap();
    }
}

#[wasm_bindgen_test]
fn unmount_releases_the_widget_and_shows_the_fallback_again() {
    let el = host("<p>fallback</p>");
    let handle = bangtin::mount(el.clone(), "rating", context(OFFLINE));
    assert!(shadow_children(&el).contains(&"div".to_string()));
    bangtin::unmount(handle);
    assert_eq!(shadow_children(&el), ["slot"]);
    bangtin::unmount(handle); // twice is harmless
    let again = bangtin::mount(el.clone(), "rating", context(OFFLINE));
    assert_ne!(again, handle, "a new mount is a new handle");
    let groups = el
        .shadow_root()
        .unwrap()
        .query_selector_all("[role=radiogroup]")
        .unwrap();
    assert_eq!(groups.length(), 1, "mounting again reuses the shadow root");
    bangtin::unmount(again);
}

#[wasm_bindgen_test]
async fn an_unreachable_server_keeps_the_fallback_content_visible() {
    let el = host("<p id=fb>Bình chọn tạm thời không khả dụng</p>");
    let handle = bangtin::mount(el.clone(), "rating", context(OFFLINE));
    let root = el.shadow_root().unwrap();
    let panel: HtmlElement = root
        .query_selector(".panel")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let slot: HtmlElement = root
        .query_selector("slot")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    for _ in 0..200 {
        if panel.get_attribute("data-phase").as_deref() == Some("failed") {
            break;
        }
        ticks(1).await;
    }
    assert_eq!(panel.get_attribute("data-phase").as_deref(), Some("failed"));
    assert!(panel.hidden(), "widget stays hidden without counts");
    assert!(!slot.hidden(), "fallback content stays visible");
    bangtin::unmount(handle);
}

#[wasm_bindgen_test]
fn an_unknown_widget_kind_is_an_error_not_a_panic_and_leaves_the_element_alone() {
    let el = host("<p>x</p>");
    assert_eq!(bangtin::mount(el.clone(), "nope", JsValue::UNDEFINED), 0);
    assert!(el.shadow_root().is_none());
}

#[wasm_bindgen_test]
fn a_widget_that_fails_halfway_through_mounting_puts_the_fallback_back() {
    // The thumbs scale draws SVG icons; a page whose createElementNS throws breaks the mount
    // after part of the widget is already in the shadow root.
    let proto = js_sys::Reflect::get(&js_sys::global(), &"Document".into())
        .and_then(|d| js_sys::Reflect::get(&d, &"prototype".into()))
        .unwrap();
    let original = js_sys::Reflect::get(&proto, &"createElementNS".into()).unwrap();
    let broken = js_sys::Function::new_no_args("throw new Error('no SVG on this page')");
    js_sys::Reflect::set(&proto, &"createElementNS".into(), &broken).unwrap();
    let el = host("<p>fallback</p>");
    el.set_attribute("scale", "thumbs").unwrap();
    let result = bangtin::mount(el.clone(), "rating", context(OFFLINE));
    js_sys::Reflect::set(&proto, &"createElementNS".into(), &original).unwrap();
    assert_eq!(result, 0, "no handle");
    assert_eq!(
        shadow_children(&el),
        ["slot"],
        "only the fallback slot is left"
    );
    assert_eq!(el.inner_html(), "<p>fallback</p>");
    // And the element can be mounted once the page behaves.
    let handle = bangtin::mount(el.clone(), "rating", context(OFFLINE));
    bangtin::unmount(handle);
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(bangtin::version(), env!("CARGO_PKG_VERSION"));
}
