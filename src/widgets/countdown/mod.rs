//! `<bangtin-countdown>`: a banner counting down to a moment, a yearly day ("Kỷ niệm 30/4") or a
//! day of the Vietnamese lunar calendar ("Đếm ngược Tết").
//!
//! [`options`] declares its attributes, [`words`] its words, [`model`] the arithmetic and labels,
//! [`view`] the DOM, `clock.js` the time: it calls the widget with the time — the reader's clock,
//! corrected once per page with the server's (`GET /api/v1/time`, round trip halved) — now, at
//! every whole second, when the page is shown again and when the banner comes into view, and
//! never while the page is hidden or the banner off-screen. Each render computes what to show
//! from that time alone, so nothing drifts and nothing catches up. A dismissed banner stays
//! dismissed (localStorage, per id and version).

mod model;
mod options;
mod view;
mod words;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use crate::error::{Error, Result};
use crate::widgets::{Context, Me, Widget};
use crate::{config, dom};
use alloc::string::String;
use model::{Model, Target, MAX_NOW};
use options::{CountdownOptions, MonthDay};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/src/widgets/countdown/clock.js")]
extern "C" {
    /// Runs the banner's clock (see `clock.js`); returns its `stop`, or `undefined` when the
    /// banner was dismissed before.
    fn clock(
        api: &str,
        panel: &HtmlElement,
        button: &HtmlElement,
        id: &str,
        version: &str,
        render: &JsValue,
    ) -> JsValue;
}

/// A mounted countdown. Dropping it stops its clock.
pub struct Countdown {
    host: HtmlElement,
    model: Model,
    view: view::View,
    /// The page's message; empty: the default one.
    message: String,
    /// Called by the clock with the time to show (ms since the epoch, corrected).
    _render: Closure<dyn FnMut(JsValue)>,
    /// Stops the clock.
    stop: JsValue,
}

impl Widget for Countdown {
    const NAME: &'static str = "countdown";
    type Options = CountdownOptions;
    /// The time to show.
    type Msg = JsValue;

    fn mount(
        me: Me<Self>,
        host: &HtmlElement,
        options: CountdownOptions,
        ctx: &Context,
    ) -> Result<Self> {
        let lang = options.lang.unwrap_or(ctx.lang);
        let (target, named) = match (options.to, options.lunar, options.every) {
            (Some(to), _, _) => (
                Target::Once {
                    at: to.at,
                    offset: to.offset,
                },
                "to",
            ),
            (None, Some(MonthDay(month, day)), _) => (Target::Lunar { month, day }, "lunar"),
            (None, None, Some(MonthDay(month, day))) => (
                Target::Solar {
                    month,
                    day,
                    offset: options.tz.0,
                },
                "every",
            ),
            (None, None, None) => {
                return Err(Error::Js(JsValue::from_str(
                    "[bangtin] countdown: give it to, every or lunar",
                )));
            }
        };
        let texts = view::Texts {
            title: given(&options.title.0),
            href: given(&options.href.0),
            image: given(&options.image.0),
        };
        let view = view::View::new(host, lang, target, &texts)?;
        // Without an id, a banner is named by its target as written ("01-01").
        let id = Some(options.id.0)
            .filter(|id| !id.is_empty())
            .or_else(|| config::attribute(host, named))
            .unwrap_or_default();
        let version = options.version.0;
        let render = Closure::<dyn FnMut(JsValue)>::new(move |now| me.send(now));
        let mut countdown = Countdown {
            host: host.clone(),
            model: Model {
                target,
                window: options.window.0,
                after: options.after,
            },
            view,
            message: options.message.0,
            _render: render,
            stop: JsValue::UNDEFINED,
        };
        countdown.stop = clock(
            &ctx.api,
            countdown.view.panel(),
            countdown.view.close(),
            &id,
            &version,
            countdown._render.as_ref(),
        );
        Ok(countdown)
    }

    /// Shows the banner at `now`.
    fn update(&mut self, now: JsValue) {
        let Some(now) = now.as_f64() else {
            return;
        };
        // Within JavaScript's dates whatever the clock or the server said (NaN: 0).
        let now = now.clamp(-MAX_NOW as f64, MAX_NOW as f64) as i64;
        let phase = self.model.target.phase(now, self.model.window);
        self.view
            .render(phase, now, self.model.after, given(&self.message));
    }
}

/// An option's text, unless it was not given (empty).
fn given(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

impl Drop for Countdown {
    fn drop(&mut self) {
        // `undefined` (a banner dismissed before) has no `call`: nothing to stop.
        let _ = dom::call(&self.stop, "call", &[]);
        dom::restore_fallback(&self.host);
    }
}
