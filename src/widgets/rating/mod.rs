//! `<bangtin-rating>`: readers rate an article ("Bình chọn") with stars or thumbs.
//!
//! [`model`] holds the state and decisions, [`view`] the DOM; this file wires them to the server.

pub mod model;
pub mod view;

use crate::api;
use crate::config::{self, ArticleKey};
use crate::dom;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::widgets::Context;
use bangtin_api::{CastVote, RatingKey, RatingSummary, Scale};
use gloo_events::{EventListener, EventListenerOptions};
use model::{Effect, Failure, Model, Move, Msg, Tally};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

crate::widget_options! {
    /// Options of `<bangtin-rating>`, as attributes or in `bangtin('mount', element, {…})`.
    pub struct RatingOptions for "rating" {
        /// The article being rated. Default: the page's `<link rel="canonical">` URL, else its path.
        article: Option<ArticleKey> = None,
        /// Five stars, or thumbs up and down.
        scale: Scale = Scale::Stars,
        /// Language of the widget. Default: the loader's `data-lang`, else the page's `<html lang>`.
        lang: Option<Lang> = None,
    }
}

/// A mounted rating widget. Dropping it releases its listeners and aborts its vote in flight.
pub struct Rating {
    handle: u32,
    host: web_sys::HtmlElement,
    api: String,
    article: String,
    model: Model,
    view: view::View,
    vote: Option<web_sys::AbortController>,
    _listeners: [EventListener; 2],
}

impl Rating {
    /// Renders the widget into `host` and asks (batched) for its summary.
    pub fn mount(
        handle: u32,
        host: web_sys::HtmlElement,
        config: &JsValue,
        context: &Context,
    ) -> Result<Rc<RefCell<Rating>>> {
        let options: RatingOptions = config::read(&host, config);
        let lang = options.lang.unwrap_or(context.lang);
        let article = dom::nfc(
            &options
                .article
                .map(|ArticleKey(key)| key)
                .unwrap_or_else(dom::page_article),
        );
        let model = Model::new(options.scale);
        let view = view::View::new(&host, lang, options.scale)?;
        let listeners = [
            EventListener::new(view.group(), "click", move |event| {
                if let Some(value) = view::clicked_value(event) {
                    dispatch(handle, Msg::Cast(value));
                }
            }),
            EventListener::new_with_options(
                view.group(),
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let step = match key.key().as_str() {
                        "ArrowRight" | "ArrowDown" => Move::Next,
                        "ArrowLeft" | "ArrowUp" => Move::Prev,
                        "Home" => Move::First,
                        "End" => Move::Last,
                        _ => return,
                    };
                    event.prevent_default();
                    dispatch(handle, Msg::Move(step));
                },
            ),
        ];
        view.render(&model);
        let key = RatingKey {
            article: article.clone(),
            scale: options.scale,
        };
        api::request_summary(
            &context.api,
            key,
            Box::new(move |answer| {
                dispatch(
                    handle,
                    match answer {
                        Ok(summary) => Msg::Loaded {
                            tally: tally(&summary),
                            mine: summary.mine,
                        },
                        Err(()) => Msg::LoadFailed,
                    },
                );
            }),
        );
        Ok(Rc::new(RefCell::new(Rating {
            handle,
            host,
            api: context.api.clone(),
            article,
            model,
            view,
            vote: None,
            _listeners: listeners,
        })))
    }

    fn update(&mut self, msg: Msg) {
        let effect = self.model.update(msg);
        self.view.render(&self.model);
        match effect {
            Effect::None => {}
            Effect::Focus => self.view.focus(self.model.focus),
            Effect::Send(value) => self.send(value),
        }
    }

    /// Sends a vote (the model never has two in flight); unmounting aborts it.
    fn send(&mut self, value: u8) {
        let Some(reader) = api::reader_id(true) else {
            self.update(Msg::Failed(Failure::Refused));
            return;
        };
        let Ok(controller) = web_sys::AbortController::new() else {
            self.update(Msg::Failed(Failure::Refused));
            return;
        };
        let signal = controller.signal();
        self.vote = Some(controller);
        let handle = self.handle;
        let base = self.api.clone();
        let vote = CastVote {
            article: self.article.clone(),
            scale: self.model.scale,
            value,
            reader,
        };
        wasm_bindgen_futures::spawn_local(async move {
            let answer: Result<RatingSummary> =
                api::post(&base, bangtin_api::VOTES_PATH, &vote, Some(&signal)).await;
            let msg = match answer {
                Ok(summary) => Msg::Saved {
                    tally: tally(&summary),
                    mine: summary.mine,
                },
                Err(Error::Aborted) => return,
                Err(Error::Status(429, _)) => Msg::Failed(Failure::RateLimited),
                Err(Error::Network) => Msg::Failed(Failure::Unreachable),
                Err(error) => {
                    if let Error::Status(_, Some(code)) = &error {
                        dom::warn(&["rating: the server refused the vote: ", code]);
                    }
                    Msg::Failed(Failure::Refused)
                }
            };
            dispatch(handle, msg);
        });
    }
}

impl Drop for Rating {
    fn drop(&mut self) {
        if let Some(vote) = self.vote.take() {
            vote.abort();
        }
        dom::restore_fallback(&self.host);
    }
}

fn tally(summary: &RatingSummary) -> Tally {
    Tally {
        count: summary.count,
        sum: summary.sum,
    }
}

/// Delivers `msg` to the widget behind `handle`, if it is still mounted.
fn dispatch(handle: u32, msg: Msg) {
    if let Some(widget) = super::rating(handle) {
        if let Ok(mut widget) = widget.try_borrow_mut() {
            widget.update(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Options;

    #[test]
    fn options_table_lists_every_option_with_its_default() {
        let spec = RatingOptions::spec();
        let names: Vec<_> = spec.iter().map(|row| row.name).collect();
        assert_eq!(names, ["article", "scale", "lang"]);
        assert_eq!(spec[1].default, "stars");
        assert_eq!(spec[1].allowed, "\"stars\" or \"thumbs\"");
        assert!(spec[0].doc.starts_with("The article being rated."));
    }

    #[test]
    fn bad_option_values_keep_the_default_and_say_what_is_allowed() {
        let mut options = RatingOptions::default();
        assert_eq!(
            options.set("scale", "stras"),
            Err("\"stars\" or \"thumbs\"")
        );
        assert_eq!(options.scale, Scale::Stars);
        assert_eq!(options.set("scale", "thumbs"), Ok(()));
        assert_eq!(options.scale, Scale::Thumbs);
        assert!(options.set("article", "").is_err());
        assert_eq!(options.set("lang", "en-GB"), Ok(()));
        assert_eq!(options.lang, Some(Lang::En));
    }
}
