//! Small DOM helpers shared by the widgets' views. Text always goes in through `textContent`.
//!
//! Every distinct browser API the wasm calls costs an import: a JS function in the glue and a
//! shim in the wasm (together 200–500 bytes before compression). So properties are read and
//! written through [`get`] and [`set`] (one `Reflect` import each) rather than one typed getter
//! or setter per property, and methods that return strings go through [`call`].

use alloc::string::String;
use core::cell::RefCell;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

#[wasm_bindgen]
extern "C" {
    /// The page's `window` (one import; `web_sys::window()` probes four globals and checks the
    /// type).
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: web_sys::Window;
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: web_sys::Document;
}

#[wasm_bindgen(module = "/www/dom.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = build)]
    fn js_build(
        root: &JsValue,
        template: &str,
        texts: &JsValue,
        item: &JsValue,
    ) -> Result<Array, JsValue>;
    /// The form's non-empty fields; kept as the draft under `key`.
    pub fn values(form: &JsValue, key: &str) -> JsValue;
    /// Puts the draft kept under `key` back into the form; its fields.
    pub fn keep(form: &JsValue, key: &str) -> JsValue;
}

/// `texts` for [`build`] (which also takes one string of lines).
pub fn texts(texts: &[&str]) -> Array {
    let list = Array::new();
    for text in texts {
        push(&list, text);
    }
    list
}

/// Appends one text to a [`build`] list.
#[inline(never)]
pub fn push(list: &Array, text: &str) {
    list.push(&JsValue::from_str(text));
}

/// Builds a widget's static elements from `template` into `root` (see `www/dom.js` for the
/// syntax: one `tag.class*|name=value|>text` per line, indented by depth) and returns the
/// elements marked `*`, in order. One call instead of one per element, attribute and text:
/// a template is data, which costs the bundle a fraction of the code that makes the same calls.
/// Templates are the widgets' own constants and words; what a reader or a server wrote never
/// goes in one: it fills a `$` from `texts`, as text or an attribute value.
/// Fails when the page makes a DOM call throw (the caller's widget then puts the fallback back).
pub fn build(
    root: &JsValue,
    template: &str,
    texts: &JsValue,
) -> Result<alloc::vec::Vec<HtmlElement>, JsValue> {
    fill(root, template, texts, &JsValue::UNDEFINED)
}

/// [`build`] for one `item` from the server: in `template`, `.key` is its `key` and `@key` its
/// `key` as a time, "26/11/2026 13:46" (see `www/dom.js`), set as text or an attribute value.
pub fn fill(
    root: &JsValue,
    template: &str,
    texts: &JsValue,
    item: &JsValue,
) -> Result<alloc::vec::Vec<HtmlElement>, JsValue> {
    Ok(js_build(root, template, texts, item)?
        .iter()
        .map(JsCast::unchecked_into)
        .collect())
}

/// The page's window.
pub fn window() -> web_sys::Window {
    WINDOW.with(Clone::clone)
}

/// The page's document.
pub fn document() -> web_sys::Document {
    DOCUMENT.with(Clone::clone)
}

/// `object[key]`; `undefined` when `object` is not an object or the getter throws.
#[inline(never)]
pub fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `object[key]` as a string.
#[inline(never)]
pub fn get_text(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

/// `object[key] = value`, ignoring a setter that throws.
#[inline(never)]
pub fn set(object: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// `object[method](...args)`; `Err` if it is not a function or it throws.
#[inline(never)]
pub fn call(object: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function = get(object, method);
    if !function.is_function() {
        return Err(JsValue::from_str(method));
    }
    let args: Array = args.iter().collect();
    Reflect::apply(function.unchecked_ref::<Function>(), object, &args)
}

/// Logs one console warning, prefixed `[bangtin] `, from pieces (no `format!` in the wasm).
pub fn warn(parts: &[&str]) {
    warn_with(parts, &JsValue::UNDEFINED);
}

/// [`warn`], followed by `detail` (an error object, say) when it is not `undefined`.
#[inline(never)]
pub fn warn_with(parts: &[&str], detail: &JsValue) {
    let mut text = String::from("[bangtin] ");
    for part in parts {
        text.push_str(part);
    }
    let console = get(&window(), "console");
    let _ = if detail.is_undefined() {
        call(&console, "warn", &[JsValue::from_str(&text)])
    } else {
        call(
            &console,
            "warn",
            &[JsValue::from_str(&text), detail.clone()],
        )
    };
}

/// Sets an attribute, ignoring the (impossible for valid names) error.
#[inline(never)]
pub fn attr(el: &Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

/// Shows or hides an element (`hidden`).
#[inline(never)]
pub fn show(el: &Element, visible: bool) {
    set(el, "hidden", &JsValue::from_bool(!visible));
}

/// Replaces an element's text: text, never markup.
#[inline(never)]
pub fn text(el: &JsValue, text: &str) {
    set(el, "textContent", &JsValue::from_str(text));
}

/// Writes text only when it changed, so live regions announce changes, not re-renders.
#[inline(never)]
pub fn set_text(el: &Element, value: &str) {
    if get_text(el, "textContent").as_deref() != Some(value) {
        text(el, value);
    }
}

/// The element's open shadow root, attached on first use and emptied for a fresh render.
pub fn fresh_shadow(host: &HtmlElement) -> Result<ShadowRoot, JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?,
    };
    text(&root, "");
    Ok(root)
}

/// Shows the host's own children again: the state of an element no widget is mounted in.
pub fn restore_fallback(host: &HtmlElement) {
    if let Some(root) = host.shadow_root() {
        text(&root, "");
        set(&root, "adoptedStyleSheets", &Array::new());
        if let Ok(slot) = document().create_element("slot") {
            let _ = root.append_child(&slot);
        }
    }
}

/// What every widget's shadow root starts from: the host is a block that contains its own
/// layout, `hidden` hides, the panel takes the theme's font and colours, paragraphs have no
/// margins, buttons inherit the font, focus is always visible, and reduced motion stops every
/// transition and animation.
const BASE_CSS: &str = "\
:host{display:block;contain:content}\
:host([hidden]),[hidden]{display:none!important}\
.panel{font-family:var(--bangtin-font,system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif);\
font-size:var(--bangtin-font-size,1rem);line-height:1.5;color:var(--bangtin-text,#1f2328);\
--a:var(--bangtin-accent,#9a3412);--m:var(--bangtin-muted,#595959);--h:var(--bangtin-hover,#f3f0e8)}\
p{margin:0}\
button{font:inherit;cursor:pointer;border-radius:.375rem}\
:focus-visible{outline:3px solid var(--bangtin-focus,#1a56db);outline-offset:2px}\
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}";

crate::local::local! {
    /// The base sheet, one object for every widget on the page.
    static BASE: RefCell<Option<web_sys::CssStyleSheet>> = RefCell::new(None);
}

/// A constructed style sheet of `css`, made once into `cache`.
fn sheet(css: &str, cache: &mut Option<web_sys::CssStyleSheet>) -> Option<web_sys::CssStyleSheet> {
    if cache.is_none() {
        if let Ok(sheet) = web_sys::CssStyleSheet::new() {
            if sheet.replace_sync(css).is_ok() {
                *cache = Some(sheet);
            }
        }
    }
    cache.clone()
}

/// The base sheet and the widget's own (from `css`, made once into `cache`), adopted into
/// `root`: constructed style sheets are not subject to a page's `style-src` CSP, and one sheet
/// object is shared by every widget of a kind.
pub fn adopt(root: &ShadowRoot, css: &str, cache: &mut Option<web_sys::CssStyleSheet>) {
    let sheets = Array::new();
    if let Some(base) = BASE.with_borrow_mut(|base| sheet(BASE_CSS, base)) {
        sheets.push(&base);
    }
    if let Some(own) = sheet(css, cache) {
        sheets.push(&own);
    }
    set(root, "adoptedStyleSheets", &sheets);
}

/// `text` in Unicode NFC, through the browser's `String.prototype.normalize` (no tables in the
/// wasm). The server stores and compares Vietnamese text in NFC; normalizing here too means one
/// key is one key on both sides, however the page spelled it.
pub fn nfc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFC").into()
}

/// The element an event happened on.
pub fn target(event: &web_sys::Event) -> Option<Element> {
    let target = get(event, "target");
    target.is_object().then(|| target.unchecked_into())
}

/// An event listener that lives as long as this value: dropping it removes it from its target.
/// (What gloo-events' `EventListener` does, without gloo's `std`.) Passive unless
/// `prevent_default` is asked for. One callback may hear several kinds of event: each callback
/// costs the wasm its own closure machinery, so a widget routes its events through few.
pub struct Listener {
    target: web_sys::EventTarget,
    kinds: &'static [&'static str],
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Listens for `kinds` on `target`.
    pub fn new(
        target: &web_sys::EventTarget,
        kinds: &'static [&'static str],
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        Self::with(target, kinds, true, f)
    }

    /// Listens for `kinds` on `target`, allowed to call `prevent_default`.
    pub fn active(
        target: &web_sys::EventTarget,
        kinds: &'static [&'static str],
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        Self::with(target, kinds, false, f)
    }

    fn with(
        target: &web_sys::EventTarget,
        kinds: &'static [&'static str],
        passive: bool,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let options = js_sys::Object::new();
        set(&options, "passive", &JsValue::from_bool(passive));
        for kind in kinds {
            let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
                kind,
                callback.as_ref().unchecked_ref(),
                options.unchecked_ref(),
            );
        }
        Listener {
            target: target.clone(),
            kinds,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        for kind in self.kinds {
            let _ = self
                .target
                .remove_event_listener_with_callback(kind, self.callback.as_ref().unchecked_ref());
        }
    }
}
