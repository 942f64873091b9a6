//! `<bangtin-rating>`: readers rate an article ("Bình chọn") with stars or thumbs.
//!
//! [`options`] declares its attributes, [`words`] its sentences, [`codec`] its wire format,
//! [`model`] its state and decisions, [`view`] its DOM; this file wires them together. Its first
//! counts come from the loader's boot request, else from one of its own (batched with every
//! widget on the page, see `crate::api::first`).

mod codec;
mod model;
mod options;
mod view;
mod words;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use crate::api::{self, ToJs};
use crate::dom::{self, Listener};
use crate::error::{Error, Result};
use crate::widgets::{Context, Me, Widget};
use alloc::string::String;
use bangtin_api::{CastVote, RatingCounts, RatingKey};
use model::{Effect, Failure, Model, Move, Msg, Tally};
use options::RatingOptions;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// A mounted rating widget. Dropping it releases its listeners and aborts its vote in flight.
pub struct Rating {
    me: Me<Rating>,
    host: HtmlElement,
    api: String,
    key: RatingKey,
    model: Model,
    view: view::View,
    vote: Option<web_sys::AbortController>,
    /// Receives the counts when the widget asked for them itself; dropping it stops that.
    asking: Option<Closure<dyn FnMut(JsValue) -> bool>>,
    /// Hears what becomes of the last vote (sent, queued, sent later).
    voted: Option<Closure<dyn FnMut(JsValue)>>,
    _listeners: [Listener; 3],
}

impl Widget for Rating {
    const NAME: &'static str = "rating";
    type Options = RatingOptions;
    type Msg = Msg;

    /// Renders the widget into `host` and asks (batched) for its counts.
    fn mount(
        me: Me<Self>,
        host: &HtmlElement,
        options: RatingOptions,
        ctx: &Context,
    ) -> Result<Self> {
        let lang = options.lang.unwrap_or(ctx.lang);
        let article = crate::article::resolve(options.article);
        let key = RatingKey {
            article,
            scale: options.scale,
        };
        let model = Model::new(options.scale);
        let view = view::View::new(host, lang, options.scale)?;
        let listeners = [
            Listener::new(view.group(), &["click"], move |event| {
                if let Some(value) = view::clicked_value(&event) {
                    me.send(Msg::Cast(value));
                }
            }),
            Listener::active(view.group(), &["keydown"], move |event| {
                let step = match dom::get_text(&event, "key").unwrap_or_default().as_str() {
                    "ArrowRight" | "ArrowDown" => Move::Next,
                    "ArrowLeft" | "ArrowUp" => Move::Prev,
                    "Home" => Move::First,
                    "End" => Move::Last,
                    _ => return,
                };
                event.prevent_default();
                me.send(Msg::Move(step));
            }),
            Listener::new(view.retry(), &["click"], move |_| me.send(Msg::Retry)),
        ];
        view.render(&model);
        let mut rating = Rating {
            me,
            host: host.clone(),
            api: ctx.api.clone(),
            key,
            model,
            view,
            vote: None,
            asking: None,
            voted: None,
            _listeners: listeners,
        };
        // A vote that got no answer on an earlier visit (or in another tab) still waits.
        let waiting = answer_to(me, 0);
        if let Some(body) = api::queued(&rating.outbox_key(), waiting.as_ref().unchecked_ref()) {
            let value = api::field(&body, "value").and_then(|v| api::whole(&v));
            if let Some(value) = value.and_then(|v| u8::try_from(v).ok()) {
                me.send(Msg::Queued(value));
            }
            rating.voted = Some(waiting);
        }
        rating.ask(&ctx.first);
        Ok(rating)
    }

    fn update(&mut self, msg: Msg) {
        let retried = msg == Msg::Retry;
        let effect = self.model.update(msg);
        self.view.render(&self.model);
        match effect {
            Effect::None => {}
            Effect::Focus => self.view.focus(self.model.focus),
            Effect::Send(value) => self.send(value),
            Effect::Ask => self.ask(&JsValue::UNDEFINED),
        }
        if retried {
            // The retry button hides itself: keep the reader's focus on the rating.
            self.view.focus(self.model.focus);
        }
    }
}

/// The message for a first answer that is for this widget.
fn loaded(item: &str, first: core::result::Result<RatingCounts, String>) -> Msg {
    match first {
        Ok(counts) => Msg::Loaded {
            tally: Tally {
                count: counts.count,
                sum: counts.sum,
            },
            mine: counts.mine,
        },
        Err(code) => {
            dom::warn(&["rating: the server refused \"", item, "\": ", &code]);
            Msg::LoadFailed
        }
    }
}

impl Rating {
    /// Asks for this widget's counts: from the loader's boot answer (`given`) when it is for
    /// this key, else from the server (batched with the page's other widgets).
    fn ask(&mut self, given: &JsValue) {
        let me = self.me;
        let item = self.key.item();
        let deliver = Closure::<dyn FnMut(JsValue) -> bool>::new(move |answer: JsValue| {
            match codec::read_first(&answer, &item) {
                Some(first) => {
                    me.send(loaded(&item, first));
                    false
                }
                None => {
                    me.send(Msg::LoadFailed);
                    me.alive()
                }
            }
        });
        let scale = self.key.scale.as_str();
        api::first(
            &self.api,
            "rating",
            &[("article", &self.key.article), ("scale", scale)],
            deliver.as_ref().unchecked_ref(),
            given,
        );
        self.asking = Some(deliver);
    }

    /// Sends a vote (the model never has two in flight); unmounting aborts it.
    fn send(&mut self, value: u8) {
        let Some(reader) = crate::reader::id(true) else {
            self.update(Msg::Failed(Failure::Refused));
            return;
        };
        let Ok(controller) = web_sys::AbortController::new() else {
            self.update(Msg::Failed(Failure::Refused));
            return;
        };
        let vote = CastVote {
            article: self.key.article.clone(),
            scale: self.key.scale,
            value,
            reader,
        };
        let url = [self.api.as_str(), bangtin_api::VOTES_PATH].concat();
        let done = answer_to(self.me, value);
        api::write(
            &url,
            &vote.to_js(),
            Some(&controller),
            &self.outbox_key(),
            done.as_ref().unchecked_ref(),
        );
        self.vote = Some(controller);
        self.voted = Some(done);
    }

    /// Where a vote of this rating waits when it could not be sent: one per rating and server.
    fn outbox_key(&self) -> String {
        ["rating ", &self.api, " ", &self.key.item()].concat()
    }
}

/// The callback that turns what happens to the vote `value` into a message (it may hear twice:
/// "queued", then the answer once the network is back).
fn answer_to(me: Me<Rating>, value: u8) -> Closure<dyn FnMut(JsValue)> {
    Closure::<dyn FnMut(JsValue)>::new(move |answer: JsValue| {
        let msg = match api::answer_of(&answer).map(|json| codec::read_summary(&json)) {
            Ok(Some(summary)) => Msg::Saved {
                tally: Tally {
                    count: summary.count,
                    sum: summary.sum,
                },
                mine: summary.mine,
            },
            Ok(None) => Msg::Failed(Failure::Refused),
            Err(Error::Aborted) => return,
            Err(Error::Queued) => Msg::Queued(value),
            Err(Error::SentElsewhere) => Msg::SentElsewhere,
            Err(Error::Status { status: 429, .. }) => Msg::Failed(Failure::RateLimited),
            Err(Error::Network) => Msg::Failed(Failure::Unreachable),
            Err(Error::Timeout) => Msg::Failed(Failure::Timeout),
            Err(error) => {
                if let Error::Status {
                    code: Some(code), ..
                } = &error
                {
                    dom::warn(&["rating: the server refused the vote: ", code]);
                }
                Msg::Failed(Failure::Refused)
            }
        };
        me.send(msg);
    })
}

impl Drop for Rating {
    fn drop(&mut self) {
        if let Some(vote) = self.vote.take() {
            vote.abort();
        }
        dom::restore_fallback(&self.host);
    }
}
