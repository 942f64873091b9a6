//! `<bangtin-countdown>`: a banner counting down to a moment, a yearly day ("Kỷ niệm 30/4") or a
//! day of the Vietnamese lunar calendar ("Đếm ngược Tết").
//!
//! [`options`] declares its attributes, [`words`] its words, [`model`] the arithmetic and labels,
//! [`view`] the DOM; this file wires them to time. Each tick reads the clock — the reader's,
//! corrected once per page with the server's (`GET /api/v1/time`, round trip halved) — and
//! computes what to show from it; the next tick is set for the next whole second. Nothing ticks
//! while the page is hidden or the banner is off-screen; coming back computes once. A dismissed
//! banner stays dismissed (localStorage, per id and version).

mod model;
mod options;
mod view;
mod words;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use crate::dom::{self, Listener};
use crate::error::{Error, Result};
use crate::local::local;
use crate::widgets::{Context, Me, Widget};
use alloc::string::String;
use core::cell::Cell;
use js_sys::Reflect;
use model::{Model, Target};
use options::{CountdownOptions, MonthDay};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/www/transport.js")]
extern "C" {
    /// `fetch` with a timeout, resolving to `[status, json]`; never rejects.
    fn request(method: &str, url: &str, body: &JsValue, signal: &JsValue) -> js_sys::Promise;
}

local! {
    /// The server's clock minus the reader's (ms), once measured on this page.
    static OFFSET: Cell<Option<i64>> = Cell::new(None);
}

/// Where a dismissal is remembered: `bangtin:countdown:<id>` → the version dismissed.
const DISMISSED: &str = "bangtin:countdown:";

/// Everything that can happen to a countdown.
pub enum Msg {
    /// The timer fired, the page was shown or hidden (`undefined`), the banner came into or out
    /// of view (the observer's entries), or the server's time arrived (`[status, json]`).
    Wake(JsValue),
    /// The reader dismissed the banner.
    Dismiss,
}

/// A mounted countdown. Dropping it clears its timer and stops observing.
pub struct Countdown {
    host: HtmlElement,
    model: Model,
    view: view::View,
    message: Option<String>,
    key: String,
    version: String,
    /// The reader's clock correction (ms), 0 until the server's time arrives.
    offset: i64,
    /// When the time request left, on the reader's clock; 0 when none is on its way.
    asked: f64,
    /// Whether the banner is near the viewport (the observer's last word; true until it speaks).
    seen: bool,
    dismissed: bool,
    /// The pending `setTimeout`, if any.
    timer: JsValue,
    /// The one callback for the timer, the observer and the time answer.
    wake: Closure<dyn FnMut(JsValue)>,
    observer: JsValue,
    _listeners: [Listener; 2],
}

/// The reader's clock, ms since the epoch.
fn clock() -> f64 {
    dom::call(&dom::get(&dom::window(), "Date"), "now", &[])
        .ok()
        .and_then(|now| now.as_f64())
        .unwrap_or(0.0)
}

/// A month-day's default banner id: "lunar-01-01", "every-04-30".
fn day_key(kind: &str, MonthDay(month, day): MonthDay) -> String {
    let mut key = String::from(kind);
    key.push('-');
    key.push_str(&model::two_digits(u64::from(month)));
    key.push('-');
    key.push_str(&model::two_digits(u64::from(day)));
    key
}

impl Widget for Countdown {
    const NAME: &'static str = "countdown";
    type Options = CountdownOptions;
    type Msg = Msg;

    fn mount(
        me: Me<Self>,
        host: &HtmlElement,
        options: CountdownOptions,
        ctx: &Context,
    ) -> Result<Self> {
        let lang = options.lang.unwrap_or(ctx.lang);
        let (target, default_key) = match (options.to, options.lunar, options.every) {
            (Some(to), _, _) => {
                let mut key = String::from("to-");
                model::push_number(&mut key, u64::try_from(to.at).unwrap_or(0));
                (
                    Target::Once {
                        at: to.at,
                        offset: to.offset,
                    },
                    key,
                )
            }
            (None, Some(day), _) => (
                Target::Lunar {
                    month: day.0,
                    day: day.1,
                },
                day_key("lunar", day),
            ),
            (None, None, Some(day)) => (
                Target::Solar {
                    month: day.0,
                    day: day.1,
                    offset: options.tz.0,
                },
                day_key("every", day),
            ),
            (None, None, None) => {
                return Err(Error::Js(JsValue::from_str(
                    "[bangtin] countdown: give it to, every or lunar",
                )));
            }
        };
        let texts = view::Texts {
            title: options.title.as_ref().map(|t| t.0.as_str()),
            href: options.href.as_ref().map(|l| l.0.as_str()),
            image: options.image.as_ref().map(|l| l.0.as_str()),
        };
        let view = view::View::new(host, lang, target, &texts)?;
        let wake = Closure::<dyn FnMut(JsValue)>::new(move |value| me.send(Msg::Wake(value)));
        let listeners = [
            Listener::new(&dom::document(), &["visibilitychange"], move |_| {
                me.send(Msg::Wake(JsValue::UNDEFINED))
            }),
            Listener::new(view.close(), &["click"], move |_| me.send(Msg::Dismiss)),
        ];
        let key = [DISMISSED, &options.id.map_or(default_key, |id| id.0)].concat();
        let version = options.version.map(|v| v.0).unwrap_or_default();
        let mut countdown = Countdown {
            host: host.clone(),
            model: Model {
                target,
                window: options.window.0,
                after: options.after,
            },
            view,
            message: options.message.map(|m| m.0),
            dismissed: crate::reader::stored(&key).is_some_and(|v| v == version),
            key,
            version,
            offset: OFFSET.get().unwrap_or(0),
            asked: 0.0,
            seen: true,
            timer: JsValue::UNDEFINED,
            wake,
            observer: JsValue::UNDEFINED,
            _listeners: listeners,
        };
        if countdown.dismissed {
            countdown.view.hide();
            return Ok(countdown);
        }
        countdown.observe(host);
        if OFFSET.get().is_none() {
            countdown.ask_time(&ctx.api);
        }
        countdown.tick();
        Ok(countdown)
    }

    fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Wake(value) => {
                if value.is_object() {
                    self.heard(&value);
                }
                self.tick();
            }
            Msg::Dismiss => {
                self.dismissed = true;
                crate::reader::store(&self.key, &self.version);
                self.stop();
                self.view.hide();
            }
        }
    }
}

impl Countdown {
    /// Watches whether the banner is near the viewport (no observer: always ticking).
    fn observe(&mut self, host: &HtmlElement) {
        let class = dom::get(&dom::window(), "IntersectionObserver");
        let Ok(class) = class.dyn_into::<js_sys::Function>() else {
            return;
        };
        let args = js_sys::Array::of1(self.wake.as_ref());
        if let Ok(observer) = Reflect::construct(&class, &args) {
            let _ = dom::call(&observer, "observe", &[host.into()]);
            self.observer = observer;
        }
    }

    /// Asks the server for its time (once per page; the answer wakes the widget).
    fn ask_time(&mut self, api: &str) {
        let url = [api, bangtin_api::countdown::TIME_PATH].concat();
        self.asked = clock();
        let answer = request("GET", &url, &JsValue::UNDEFINED, &JsValue::UNDEFINED);
        if let Ok(done) = dom::call(&answer, "then", &[self.wake.as_ref().clone()]) {
            // Unmounted before the answer: the dropped callback throws; that stays here.
            let _ = dom::call(&done, "catch", &[dom::get(&dom::window(), "Boolean")]);
        }
    }

    /// Takes what woke the widget: the observer's entries, or the server's time.
    fn heard(&mut self, value: &JsValue) {
        let first = Reflect::get_u32(value, 0).unwrap_or(JsValue::UNDEFINED);
        if let Some(status) = first.as_f64() {
            // [status, json]: the server's time, if it answered.
            let json = Reflect::get_u32(value, 1).unwrap_or(JsValue::UNDEFINED);
            let now = crate::api::field(&json, "now").and_then(|n| crate::api::whole(&n));
            if let (true, Some(now), true) =
                ((200.0..300.0).contains(&status), now, self.asked > 0.0)
            {
                let received = clock();
                let rtt = (received - self.asked).max(0.0);
                let offset = (now as f64 + rtt / 2.0 - received) as i64;
                OFFSET.set(Some(offset));
                self.offset = offset;
            }
            self.asked = 0.0;
        } else {
            // The observer's entries, oldest first: the last one is the banner's state now.
            let length = dom::get(value, "length").as_f64().unwrap_or(0.0) as u32;
            if length > 0 {
                let last = Reflect::get_u32(value, length - 1).unwrap_or(JsValue::UNDEFINED);
                self.seen = dom::get(&last, "isIntersecting").is_truthy();
            }
        }
    }

    /// Shows the present and sets the timer for the next change, unless the page is hidden or
    /// the banner is out of view (then the next wake computes afresh).
    fn tick(&mut self) {
        self.stop_timer();
        if self.dismissed {
            return;
        }
        let now = clock() as i64 + self.offset;
        let phase = self.model.target.phase(now, self.model.window);
        let after = self.model.after;
        self.view.render(phase, now, after, self.message.as_deref());
        let hidden = dom::get(&dom::document(), "hidden").is_truthy();
        if hidden || !self.seen {
            return;
        }
        if let Some(delay) = model::next_tick(phase, self.model.window, after, now) {
            if let Ok(id) = dom::call(
                &dom::window(),
                "setTimeout",
                &[self.wake.as_ref().clone(), JsValue::from_f64(delay as f64)],
            ) {
                self.timer = id;
            }
        }
    }

    fn stop_timer(&mut self) {
        if !self.timer.is_undefined() {
            let _ = dom::call(&dom::window(), "clearTimeout", &[self.timer.clone()]);
            self.timer = JsValue::UNDEFINED;
        }
    }

    /// Stops the timer and the observer.
    fn stop(&mut self) {
        self.stop_timer();
        if !self.observer.is_undefined() {
            let _ = dom::call(&self.observer, "disconnect", &[]);
            self.observer = JsValue::UNDEFINED;
        }
    }
}

impl Drop for Countdown {
    fn drop(&mut self) {
        self.stop();
        dom::restore_fallback(&self.host);
    }
}
