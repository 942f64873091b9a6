//! `<bangtin-feedback>`: readers send feedback on an article ("Gửi phản hồi") and read what the
//! newsroom has published ("Xem phản hồi"), with the newsroom's replies and likes.
//!
//! [`options`] declares its attributes, [`words`] its sentences, [`codec`] its wire format,
//! [`model`] its state and decisions, [`view`] its DOM; this file wires them together. Its first
//! page comes from the loader's boot request, else from one of its own (batched with every
//! widget on the page). Nothing the reader types is lost: the draft lives in the page's
//! sessionStorage until the server has it, a failed send keeps the text, and a send without an
//! answer waits in the page's outbox (see `crate::api::write`).

mod codec;
mod model;
mod options;
mod view;
mod words;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use crate::api;
use crate::dom::{self, Listener};
use crate::error::Error;
use crate::reader;
use crate::widgets::{Context, Me, Widget};
use alloc::string::String;
use bangtin_api::feedback::{first_key, Sort, FEEDBACK_LIKES_PATH, FEEDBACK_PATH};
use model::{Effect, Form, Model, Msg, Sending, FIELDS};
use options::FeedbackOptions;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// A mounted feedback widget. Dropping it releases its listeners; a send in flight still
/// reaches the server (its key makes a repeat harmless) and its text stays in the draft until
/// an answer says it arrived.
pub struct Feedback {
    me: Me<Feedback>,
    host: HtmlElement,
    api: String,
    article: String,
    model: Model,
    view: view::View,
    /// Receives the page the widget asked for last; dropping it stops that.
    asking: Option<Closure<dyn FnMut(JsValue) -> bool>>,
    /// Hears what becomes of every send of this visit (sent, queued, sent later).
    sent: Closure<dyn FnMut(JsValue)>,
    /// Hears what becomes of every like.
    liked: Closure<dyn FnMut(JsValue)>,
    _listener: Listener,
}

impl Widget for Feedback {
    const NAME: &'static str = "feedback";
    type Options = FeedbackOptions;
    type Msg = Msg;

    fn mount(
        me: Me<Self>,
        host: &HtmlElement,
        options: FeedbackOptions,
        ctx: &Context,
    ) -> crate::error::Result<Self> {
        let lang = options.lang.unwrap_or(ctx.lang);
        let article = crate::article::resolve(options.article);
        let view = view::View::new(host, lang)?;
        let kept = dom::keep(view.form(), &draft_key(&article));
        let text = |name| api::text(&kept, name).unwrap_or_default();
        let draft = Form {
            name: text("name"),
            email: text("email"),
            message: text("message"),
            id: text("id"),
        };
        let model = Model::new(options.sort, draft);
        // One callback for every event of the widget: typing, sending, and the list's buttons.
        let listener =
            Listener::active(view.panel(), &["input", "submit", "click"], move |event| {
                let Some(target) = dom::target(&event) else {
                    return;
                };
                match event.type_().as_str() {
                    "input" => {
                        let name = target.id();
                        if let Some(field) = FIELDS.into_iter().find(|f| name == f.name()) {
                            let text = dom::get_text(&target, "value").unwrap_or_default();
                            me.send(Msg::Edit(field, text));
                        }
                    }
                    "submit" => {
                        event.prevent_default();
                        if let Some(id) = reader::random_hex() {
                            me.send(Msg::Submit { id });
                        }
                    }
                    _ => {
                        let Ok(Some(button)) = target.closest("[data-sort],[data-like],.more")
                        else {
                            return;
                        };
                        if let Some(sort) = button.get_attribute("data-sort") {
                            if let Some(sort) = Sort::parse(&sort) {
                                me.send(Msg::Sort(sort));
                            }
                        } else if let Some(id) = button.get_attribute("data-like") {
                            me.send(Msg::Like(id));
                        } else {
                            me.send(Msg::More);
                        }
                    }
                }
            });
        view.render(&model);
        let mut feedback = Feedback {
            me,
            host: host.clone(),
            api: ctx.api.clone(),
            article,
            model,
            view,
            asking: None,
            sent: Closure::new(move |answer: JsValue| me.send(sent(&answer))),
            liked: Closure::new(move |answer: JsValue| match api::answer_of(&answer) {
                Err(Error::Queued) => {}
                answer => me.send(match answer.ok().as_ref().and_then(codec::read_liked) {
                    Some((id, likes)) => Msg::Liked { id, likes },
                    None => Msg::LikeFailed,
                }),
            }),
            _listener: listener,
        };
        feedback.ask(None, &ctx.first);
        Ok(feedback)
    }

    fn update(&mut self, msg: Msg) {
        let effect = self.model.update(msg);
        self.view.render(&self.model);
        match effect {
            Effect::None => {}
            Effect::Load => self.ask(None, &JsValue::UNDEFINED),
            Effect::LoadMore => self.ask(self.model.next.clone(), &JsValue::UNDEFINED),
            Effect::Focus(field) => self.view.focus(field),
            Effect::SaveDraft => {
                self.save_draft();
            }
            Effect::Reload => {
                self.save_draft();
                self.ask(None, &JsValue::UNDEFINED);
            }
            Effect::Send => self.send(),
            Effect::Like(id) => self.like(id),
        }
    }
}

/// The sessionStorage key of the draft for `article`.
fn draft_key(article: &str) -> String {
    ["bangtin:draft:", article].concat()
}

impl Feedback {
    /// Asks for a page of the list in the model's order (the first, or the one after `after`
    /// for "Xem thêm"): from the loader's boot answer (`given`) when it is this page, else
    /// through a boot request batched with the page's other widgets, tried again while it fails.
    /// A newer ask replaces an older one.
    fn ask(&mut self, after: Option<String>, given: &JsValue) {
        let me = self.me;
        let sort = self.model.sort;
        let key = first_key(sort, after.as_deref(), &self.article);
        let more = after.is_some();
        let deliver = Closure::<dyn FnMut(JsValue) -> bool>::new(move |answer: JsValue| {
            let first = codec::read_first(&answer, &key);
            let wanted = first.is_none();
            me.send(match first {
                Some(Ok(page)) => Msg::Loaded { page, more },
                Some(Err(code)) => {
                    dom::warn(&["feedback: the server refused \"", &key, "\": ", &code]);
                    Msg::LoadFailed { more }
                }
                None => Msg::LoadFailed { more },
            });
            // Still wanted while nothing came and the widget is there.
            wanted && me.alive()
        });
        let mut params = [
            ("article", self.article.as_str()),
            ("sort", sort.as_str()),
            ("after", ""),
        ];
        params[2].1 = after.as_deref().unwrap_or_default();
        api::first(
            &self.api,
            "feedback",
            &params[..if more { 3 } else { 2 }],
            deliver.as_ref().unchecked_ref(),
            given,
        );
        self.asking = Some(deliver);
    }

    /// Keeps the form in this tab's sessionStorage (until nothing is left to keep); returns its
    /// fields.
    fn save_draft(&self) -> JsValue {
        dom::values(self.view.form(), &draft_key(&self.article))
    }

    /// Sends the form under `id`; without an answer it waits in the page's outbox.
    fn send(&mut self) {
        let Some(reader) = reader::id(true) else {
            self.update(Msg::Sent(Sending::Failed));
            return;
        };
        let id = self.model.form.id.clone();
        // The form as typed (with its key and the honeypot), kept as the draft until it arrives.
        let body = codec::submit(
            &self.save_draft(),
            &self.article,
            &reader,
            &self.model.token,
        );
        let url = [self.api.as_str(), FEEDBACK_PATH].concat();
        api::write(
            &url,
            &body,
            None,
            &["feedback ", &id].concat(),
            self.sent.as_ref().unchecked_ref(),
        );
    }

    /// Sends a like (the model never has two in flight for one item); without an answer it
    /// waits in the page's outbox like a vote.
    fn like(&mut self, id: String) {
        let Some(reader) = reader::id(true) else {
            self.update(Msg::LikeFailed);
            return;
        };
        let url = [self.api.as_str(), FEEDBACK_LIKES_PATH].concat();
        let body = codec::like(&id, &reader);
        let key = ["like ", &self.api, " ", &id].concat();
        api::write(&url, &body, None, &key, self.liked.as_ref().unchecked_ref());
    }
}

/// What became of a send, from its answer.
fn sent(answer: &JsValue) -> Msg {
    match api::answer_of(answer) {
        Ok(json) => Msg::Sent(match codec::read_submitted(&json) {
            Some(true) => Sending::Published,
            Some(false) => Sending::Pending,
            None => Sending::Failed,
        }),
        Err(Error::Queued) => Msg::Sent(Sending::Queued),
        // Another tab of the site sent it from the outbox: it waits for moderation.
        Err(Error::SentElsewhere) => Msg::Sent(Sending::Pending),
        Err(Error::Status { status: 429, .. }) => Msg::Sent(Sending::RateLimited),
        Err(Error::Status {
            code: Some(code), ..
        }) => match FIELDS.into_iter().find(|field| field.code() == code) {
            Some(field) => Msg::Refused(field),
            None if code == "invalid_form" => Msg::FormExpired,
            None => {
                dom::warn(&["feedback: the server refused the message: ", &code]);
                Msg::Sent(Sending::Failed)
            }
        },
        Err(_) => Msg::Sent(Sending::Failed),
    }
}

impl Drop for Feedback {
    fn drop(&mut self) {
        dom::restore_fallback(&self.host);
    }
}
