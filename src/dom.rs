//! Small DOM helpers shared by the widgets' views. Text always goes in through `textContent`.

use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

/// The page's document.
pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("unreachable: widgets only mount in a window with a document")
}

/// Logs one console warning, prefixed `[bangtin] `, from pieces (no `format!` in the wasm).
pub fn warn(parts: &[&str]) {
    let mut text = String::from("[bangtin] ");
    for part in parts {
        text.push_str(part);
    }
    web_sys::console::warn_1(&JsValue::from_str(&text));
}

/// Creates `<tag>` with a class.
pub fn element(tag: &str, class: &str) -> Result<HtmlElement, JsValue> {
    let el = document().create_element(tag)?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el.dyn_into::<HtmlElement>().map_err(JsValue::from)
}

/// Sets an attribute, ignoring the (impossible for valid names) error.
pub fn attr(el: &Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

/// The element's open shadow root, attached on first use and emptied for a fresh render.
pub fn fresh_shadow(host: &HtmlElement) -> Result<ShadowRoot, JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?,
    };
    root.set_text_content(None);
    Ok(root)
}

/// Shows the host's own children again: the state of an element no widget is mounted in.
pub fn restore_fallback(host: &HtmlElement) {
    if let Some(root) = host.shadow_root() {
        root.set_text_content(None);
        root.set_adopted_style_sheets(&js_sys::Array::new());
        if let Ok(slot) = document().create_element("slot") {
            let _ = root.append_child(&slot);
        }
    }
}

/// Adopts `sheet` into `root`: constructed style sheets are not subject to a page's `style-src`
/// CSP, and one sheet object is shared by every widget of a kind.
pub fn adopt(root: &ShadowRoot, sheet: &web_sys::CssStyleSheet) {
    root.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
}

/// Builds a constructed style sheet from CSS text.
pub fn sheet(css: &str) -> Result<web_sys::CssStyleSheet, JsValue> {
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(css)?;
    Ok(sheet)
}

/// `text` in Unicode NFC, through the browser's `String.prototype.normalize` (no tables in the
/// wasm). Article keys are compared in NFC on the server; normalizing here too means one rating is
/// one key on both sides, however the page spelled it.
pub fn nfc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFC").into()
}

/// The article key a page implies: its canonical URL, else its path.
pub fn page_article() -> String {
    let doc = document();
    if let Ok(Some(link)) = doc.query_selector("link[rel=canonical][href]") {
        if let Some(link) = link.dyn_ref::<web_sys::HtmlLinkElement>() {
            let href = link.href();
            if bangtin_api::validate_article(&href).is_ok() {
                return href;
            }
        }
    }
    doc.location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".into())
}
