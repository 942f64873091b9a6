//! `<bangtin-ticker>`: the latest headlines of a feed ("Tin mới cập nhật"), as a marquee, one
//! at a time, or a still list, with the newsroom's pinned breaking items first.
//!
//! [`options`] declares its attributes, [`words`] its words, [`codec`] its wire format,
//! [`model`] its state and decisions, [`view`] its DOM; this file wires them together: the
//! first news from the loader's boot request (else one of its own, tried again with backoff),
//! then a refresh every `refresh` seconds while the tab is visible, and the events that pause
//! the motion (WCAG 2.2.2).
//!
//! Refreshes are `GET /api/v1/news` with `cache: 'no-cache'`: the browser revalidates its copy
//! with the `ETag` it kept (`If-None-Match`; the server answers `304` with no body when nothing
//! changed). An `If-None-Match` set by the page instead would make every cross-origin refresh a
//! CORS preflight and need the server to expose `ETag`; the browser's own revalidation needs
//! neither, and the wasm keeps no validator.

mod codec;
mod model;
mod options;
mod view;
mod words;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use crate::api;
use crate::dom;
use crate::widgets::{Context, Me, Widget};
use alloc::string::String;
use bangtin_api::ticker::{first_key, NEWS_PATH};
use model::{Effect, Model, Msg};
use options::TickerOptions;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// A mounted ticker. Dropping it stops its timers, listeners and the delivery of answers.
pub struct Ticker {
    me: Me<Ticker>,
    host: HtmlElement,
    /// Where refreshes go: `/api/v1/news?feed=…&limit=…`.
    news: String,
    /// Minutes of the "Mới" badge.
    fresh: u32,
    /// Milliseconds between refreshes, and between headlines in fade mode.
    every: u64,
    interval: u32,
    model: Model,
    view: view::View,
    /// Receives the first news; dropping it stops that (and its retries).
    asking: Option<Closure<dyn FnMut(JsValue) -> bool>>,
    /// Receives a refresh.
    fetched: Option<Closure<dyn FnMut(JsValue)>>,
    /// Hears what `view.js` tells (see [`heard`]); the view stops telling on drop.
    _send: Closure<dyn FnMut(JsValue)>,
}

impl Widget for Ticker {
    const NAME: &'static str = "ticker";
    type Options = TickerOptions;
    type Msg = Msg;

    fn mount(
        me: Me<Self>,
        host: &HtmlElement,
        options: TickerOptions,
        ctx: &Context,
    ) -> crate::error::Result<Self> {
        let lang = options.lang.unwrap_or(ctx.lang);
        let label = options.label.map(|l| l.0);
        let label = label.as_deref().unwrap_or(words::words(lang).label);
        let view = view::View::new(host, lang, label, options.speed.0)?;
        let send = Closure::<dyn FnMut(JsValue)>::new(move |code: JsValue| {
            if let Some(msg) = heard(code.as_f64().unwrap_or(-1.0) as u32) {
                me.send(msg);
            }
        });
        let (reduced, hidden) = view.listen(send.as_ref());
        let mut model = Model::new(options.mode, reduced);
        model.update(Msg::Hidden(hidden));
        view.render(&model);
        let feed = options.feed.map(|f| f.0).unwrap_or_default();
        // `FEED:LIMIT`: the key of the first data, whose end is the limit in decimal (no
        // `core::fmt`; a feed name has no ':').
        let key = first_key(&feed, options.limit.0);
        let limit = key.get(feed.len() + 1..).unwrap_or_default();
        let news = [
            ctx.api.as_str(),
            NEWS_PATH,
            "?feed=",
            &feed,
            "&limit=",
            limit,
        ]
        .concat();
        let mut ticker = Ticker {
            me,
            host: host.clone(),
            news,
            fresh: options.new_minutes.0,
            every: u64::from(options.refresh.0) * 1000,
            interval: options.interval.0,
            model,
            view,
            asking: None,
            fetched: None,
            _send: send,
        };
        ticker.ask(&ctx.api, &feed, limit, &key, &ctx.first);
        Ok(ticker)
    }

    fn update(&mut self, msg: Msg) {
        if self.model.update(msg) == Effect::Fetch {
            self.fetch();
        }
        self.view.render(&self.model);
        self.schedule();
    }
}

/// What a code from `view.js` means (see its `listen`).
fn heard(code: u32) -> Option<Msg> {
    let on = code & 1 == 1;
    Some(match code >> 1 {
        0 => Msg::Focus(on),
        1 if on => Msg::Toggle,
        1 => Msg::Loop,
        2 => Msg::Hover(on),
        3 => Msg::Hidden(on),
        4 => Msg::ReducedMotion(on),
        5 if on => Msg::Due,
        5 => Msg::Tick,
        _ => return None,
    })
}

/// Milliseconds since the epoch.
fn now() -> u64 {
    js_sys::Date::now() as u64
}

impl Ticker {
    /// Asks for the first news: from the loader's boot answer (`given`) when it is for this
    /// feed and limit (`key`), else through a boot request batched with the page's other
    /// widgets, tried again with backoff while it fails.
    #[inline(never)]
    fn ask(&mut self, api: &str, feed: &str, limit: &str, key: &str, given: &JsValue) {
        let me = self.me;
        let key = String::from(key);
        let fresh = self.fresh;
        let deliver = Closure::<dyn FnMut(JsValue) -> bool>::new(move |answer: JsValue| {
            let now = now();
            match codec::read_first(&answer, &key, now, fresh) {
                Some(Ok(lines)) => {
                    me.send(Msg::Loaded { lines, now });
                    false
                }
                Some(Err(code)) => {
                    dom::warn(&["ticker: the server refused \"", &key, "\": ", &code]);
                    me.send(Msg::LoadFailed);
                    false
                }
                None => {
                    me.send(Msg::LoadFailed);
                    me.alive()
                }
            }
        });
        api::first(
            api,
            "ticker",
            &[("feed", feed), ("limit", limit)],
            deliver.as_ref().unchecked_ref(),
            given,
        );
        self.asking = Some(deliver);
    }

    /// Asks the server whether the news changed (see the module docs).
    #[inline(never)]
    fn fetch(&mut self) {
        let me = self.me;
        let fresh = self.fresh;
        let done = Closure::<dyn FnMut(JsValue)>::new(move |answer: JsValue| {
            let now = now();
            let lines = api::answer_of(&answer)
                .ok()
                .and_then(|json| codec::read_lines(&json, now, fresh));
            me.send(match lines {
                Some(lines) => Msg::Loaded { lines, now },
                None => Msg::Missed { now },
            });
        });
        api::revalidate(&self.news, done.as_ref().unchecked_ref());
        self.fetched = Some(done);
    }

    /// Sets or clears the two timers as the model wants them.
    #[inline(never)]
    fn schedule(&mut self) {
        let fade = if self.model.fading() {
            f64::from(self.interval) * 1000.0
        } else {
            -1.0
        };
        let poll = if self.model.polls() {
            self.model.due_in(now(), self.every) as f64
        } else {
            -1.0
        };
        self.view.timers(fade, poll);
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        dom::restore_fallback(&self.host);
    }
}
