//! The widget crate's one error type. It turns into a `JsValue` only at the exported boundary.

use alloc::string::String;
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
    /// The server did not answer in time; the request was given up.
    Timeout,
    /// The request was aborted because the widget was unmounted.
    Aborted,
    /// No answer came; the write waits in the page's outbox and goes out when the network is back.
    Queued,
    /// The write that waited in the outbox was sent by another tab of the site.
    SentElsewhere,
    /// The server answered with an error status.
    Status {
        status: u16,
        /// The API's error code, when the body was one of its JSON errors.
        code: Option<String>,
        /// Seconds the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<u32>,
    },
    /// The server's answer did not have the expected shape.
    Decode,
}

impl Error {
    /// Whether trying the same request again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network | Error::Timeout | Error::Decode => true,
            Error::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            Error::UnknownWidget
            | Error::Js(_)
            | Error::Aborted
            | Error::Queued
            | Error::SentElsewhere => false,
        }
    }
}

impl From<JsValue> for Error {
    fn from(value: JsValue) -> Self {
        Error::Js(value)
    }
}

impl From<Error> for JsValue {
    fn from(error: Error) -> Self {
        let text = match error {
            Error::Js(value) => return value,
            Error::UnknownWidget => "[bangtin] unknown widget",
            Error::Network => "[bangtin] network error",
            Error::Timeout => "[bangtin] the server did not answer in time",
            Error::Aborted => "[bangtin] aborted",
            Error::Queued => "[bangtin] waiting to be sent",
            Error::SentElsewhere => "[bangtin] sent by another tab",
            Error::Decode => "[bangtin] unexpected answer",
            Error::Status { .. } => "[bangtin] server refused",
        };
        js_sys::Error::new(text).into()
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
