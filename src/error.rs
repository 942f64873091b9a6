//! The widget crate's one error type. It turns into a `JsValue` only at the exported boundary.

use wasm_bindgen::JsValue;

/// Everything that can go wrong inside a widget.
#[derive(Debug)]
pub enum Error {
    /// The loader asked for a widget this bundle does not have.
    UnknownWidget,
    /// A DOM or JS call threw.
    Js(JsValue),
    /// The request never got an HTTP answer (offline, DNS, CORS refusal…).
    Network,
    /// The request was aborted because the widget was unmounted.
    Aborted,
    /// The server answered with an error status and, if it sent one, its error code.
    Status(u16, Option<String>),
    /// The server's answer did not have the expected shape.
    Decode,
}

impl From<JsValue> for Error {
    fn from(value: JsValue) -> Self {
        Error::Js(value)
    }
}

impl From<Error> for JsValue {
    fn from(error: Error) -> Self {
        match error {
            Error::Js(value) => value,
            Error::UnknownWidget => js_sys::Error::new("[bangtin] unknown widget").into(),
            Error::Network => js_sys::Error::new("[bangtin] network error").into(),
            Error::Aborted => js_sys::Error::new("[bangtin] aborted").into(),
            Error::Decode => js_sys::Error::new("[bangtin] unexpected answer").into(),
            Error::Status(..) => js_sys::Error::new("[bangtin] server refused").into(),
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
