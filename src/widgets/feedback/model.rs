//! The feedback widget's state and decisions — plain Rust, no DOM, tested natively.
//!
//! Two parts: the form (what the reader types, checked before sending with the rules the server
//! applies, never lost: a failed send keeps it, a draft survives a reload) and the published list
//! (a page at a time, newest or most liked first, likes counted once the server says so).

use alloc::string::String;
use alloc::vec::Vec;
use bangtin_api::feedback::{check_email, check_message, check_name, Field, Problem, Sort};
use wasm_bindgen::JsValue;

/// What the reader typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub name: String,
    pub email: String,
    pub message: String,
    /// The key of the last send of this text, kept until the server answers: sending the same
    /// text again (a retry, a reload mid-send) repeats the key, and the server stores it once.
    pub id: String,
}

impl Form {
    /// The text of `field`.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Name => &self.name,
            Field::Email => &self.email,
            Field::Message => &self.message,
        }
    }

    fn set(&mut self, field: Field, text: String) {
        match field {
            Field::Name => self.name = text,
            Field::Email => self.email = text,
            Field::Message => self.message = text,
        }
    }
}

/// The form's fields, in the order they are shown (and focused when in error).
pub const FIELDS: [Field; 3] = [Field::Name, Field::Email, Field::Message];

/// Checks one field with the rule the server applies.
pub fn check(field: Field, text: &str) -> Result<(), Problem> {
    match field {
        Field::Name => check_name(text),
        Field::Email => check_email(text),
        Field::Message => check_message(text),
    }
}

/// Where a send stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sending {
    Idle,
    InFlight,
    /// Waiting for a moderator (or taken for spam: the reader is told the same).
    Pending,
    /// Published at once (auto-publish sites).
    Published,
    /// No answer: it waits in the page's outbox and goes when the network returns.
    Queued,
    Failed,
    RateLimited,
}

/// One published item as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: String,
    pub likes: u64,
    pub liked: bool,
    /// A like is on its way.
    pub liking: bool,
    /// The item as the server sent it, checked by the codec: the view reads its name, time,
    /// text and replies from it straight into the DOM (as text), never through the model.
    pub raw: JsValue,
}

/// A page of the list, as the server gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub total: u64,
    pub items: Vec<Item>,
    pub next: Option<String>,
    pub form: String,
}

/// Where the list stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the first page; the element's fallback content is shown.
    Loading,
    Ready,
    /// The first page did not come (the transport keeps trying); the fallback stays.
    Failed,
}

/// Everything that can happen to a feedback widget.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// A page arrived: the first (it replaces the list: a load, a new sort) or, with `more`,
    /// the next ("Xem thêm").
    Loaded {
        page: Page,
        more: bool,
    },
    /// A page did not come (the transport keeps trying).
    LoadFailed {
        more: bool,
    },
    Edit(Field, String),
    /// The reader sends the form; `id` is the key the send will carry if it goes.
    Submit {
        id: String,
    },
    /// What became of the send: taken ([`Sending::Pending`], [`Sending::Published`]), waiting in
    /// the outbox ([`Sending::Queued`]), or not ([`Sending::Failed`], [`Sending::RateLimited`]).
    Sent(Sending),
    /// The server refused this field.
    Refused(Field),
    /// The form token was refused (too old, or from another server): the text stays, and a
    /// fresh token comes with the list.
    FormExpired,
    Sort(Sort),
    More,
    Like(String),
    /// A like arrived: the item's likes as the server counts them.
    Liked {
        id: String,
        likes: u64,
    },
    /// A like did not arrive (the answer does not say which): every like on its way may be
    /// tried again. (The server counts a reader's like once, whatever is sent twice.)
    LikeFailed,
}

/// What the widget must do after an update, besides re-rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Ask the server for the first page in the model's order.
    Load,
    /// Ask for the page after [`Model::next`].
    LoadMore,
    /// Move focus to this field (the first in error).
    Focus(Field),
    /// Keep the form in the page's session storage.
    SaveDraft,
    /// Keep the form, and ask for the first page again (a message was published).
    Reload,
    /// Send the form (checked) under its key ([`Form::id`]) with [`Model::token`].
    Send,
    /// Send a like.
    Like(String),
}

/// The feedback widget's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub phase: Phase,
    pub form: Form,
    /// Each field's problem, if the last check found one.
    pub errors: [Option<Problem>; 3],
    pub sending: Sending,
    pub sort: Sort,
    pub total: u64,
    pub items: Vec<Item>,
    pub next: Option<String>,
    pub loading_more: bool,
    /// Grows whenever the list changes (the view redraws the list only then, not as the reader
    /// types).
    pub revision: u32,
    /// The form token of the last page (the server signed when the form was shown).
    pub token: String,
}

fn index(field: Field) -> usize {
    match field {
        Field::Name => 0,
        Field::Email => 1,
        Field::Message => 2,
    }
}

impl Model {
    /// A widget waiting for its first page, with a draft the reader left (if any).
    pub fn new(sort: Sort, draft: Form) -> Model {
        Model {
            phase: Phase::Loading,
            form: draft,
            errors: [None; 3],
            sending: Sending::Idle,
            sort,
            total: 0,
            items: Vec::new(),
            next: None,
            loading_more: false,
            revision: 0,
            token: String::new(),
        }
    }

    /// The problem of `field`, if the last check found one.
    pub fn error(&self, field: Field) -> Option<Problem> {
        self.errors[index(field)]
    }

    /// Applies one message and says what else to do.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Loaded { page, more } => {
                self.phase = Phase::Ready;
                self.total = page.total;
                self.next = page.next;
                self.token = page.form;
                self.loading_more = false;
                if more {
                    for item in page.items {
                        if !self.items.iter().any(|i| i.id == item.id) {
                            self.items.push(item);
                        }
                    }
                } else {
                    self.items = page.items;
                }
                self.revision += 1;
                Effect::None
            }
            Msg::LoadFailed { more } => {
                if more {
                    // The button is there for another try (the transport tries again too).
                    self.loading_more = false;
                } else if self.phase != Phase::Ready {
                    self.phase = Phase::Failed;
                }
                Effect::None
            }
            Msg::Edit(field, text) => {
                if self.form.get(field) != text {
                    // Another text is another message.
                    self.form.id.clear();
                }
                self.form.set(field, text);
                // A field in error is checked again as the reader fixes it.
                if self.errors[index(field)].is_some() {
                    self.errors[index(field)] = check(field, self.form.get(field)).err();
                }
                if !matches!(self.sending, Sending::InFlight) {
                    self.sending = Sending::Idle;
                }
                Effect::SaveDraft
            }
            Msg::Submit { id } => {
                if matches!(self.sending, Sending::InFlight) {
                    return Effect::None;
                }
                for field in FIELDS {
                    self.errors[index(field)] = check(field, self.form.get(field)).err();
                }
                if let Some(field) = FIELDS.into_iter().find(|f| self.error(*f).is_some()) {
                    return Effect::Focus(field);
                }
                self.sending = Sending::InFlight;
                if self.form.id.is_empty() {
                    self.form.id = id;
                }
                Effect::Send
            }
            Msg::Refused(field) => {
                // The server's rule may be one the widget cannot check: say it plainly.
                let problem = check(field, self.form.get(field)).err();
                self.errors[index(field)] = Some(problem.unwrap_or(match field {
                    Field::Email => Problem::NotAnEmail,
                    _ => Problem::TooLong,
                }));
                self.sending = Sending::Idle;
                Effect::Focus(field)
            }
            Msg::FormExpired => {
                self.sending = Sending::Failed;
                Effect::Load
            }
            Msg::Sent(sent) => {
                self.sending = sent;
                if matches!(sent, Sending::Failed | Sending::RateLimited) {
                    return Effect::None;
                }
                // Taken (or safe in the outbox): the message is the server's now and the form
                // is free for the next; name and email stay for next time.
                self.form.message.clear();
                self.form.id.clear();
                self.errors = [None; 3];
                if sent == Sending::Published {
                    Effect::Reload
                } else {
                    Effect::SaveDraft
                }
            }
            Msg::Sort(sort) => {
                if sort == self.sort {
                    return Effect::None;
                }
                self.sort = sort;
                self.loading_more = true;
                self.revision += 1;
                Effect::Load
            }
            Msg::More => {
                if self.next.is_none() || self.loading_more {
                    return Effect::None;
                }
                self.loading_more = true;
                Effect::LoadMore
            }
            Msg::Like(id) => match self.items.iter_mut().find(|i| i.id == id) {
                Some(item) if !item.liked && !item.liking => {
                    item.liking = true;
                    self.revision += 1;
                    Effect::Like(id)
                }
                _ => Effect::None,
            },
            Msg::Liked { id, likes } => {
                if let Some(item) = self.items.iter_mut().find(|i| i.id == id) {
                    item.liking = false;
                    item.liked = true;
                    item.likes = likes;
                }
                self.revision += 1;
                Effect::None
            }
            Msg::LikeFailed => {
                for item in &mut self.items {
                    item.liking = false;
                }
                self.revision += 1;
                Effect::None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn item(id: &str, likes: u64) -> Item {
        Item {
            id: id.to_string(),
            likes,
            liked: false,
            liking: false,
            raw: JsValue::UNDEFINED,
        }
    }

    fn page(ids: &[&str], next: Option<&str>) -> Page {
        Page {
            total: 12,
            items: ids.iter().map(|id| item(id, 0)).collect(),
            next: next.map(str::to_string),
            form: "token".to_string(),
        }
    }

    fn ready() -> Model {
        let mut model = Model::new(Sort::Newest, Form::default());
        model.update(Msg::Loaded {
            page: page(&["a", "b"], Some("b")),
            more: false,
        });
        model
    }

    fn typed(model: &mut Model, name: &str, email: &str, message: &str) {
        model.update(Msg::Edit(Field::Name, name.to_string()));
        model.update(Msg::Edit(Field::Email, email.to_string()));
        model.update(Msg::Edit(Field::Message, message.to_string()));
    }

    #[test]
    fn a_form_with_problems_is_not_sent_and_the_first_field_in_error_gets_focus() {
        let mut model = ready();
        typed(&mut model, "", "an@", "ngắn");
        assert_eq!(
            model.update(Msg::Submit { id: "1".into() }),
            Effect::Focus(Field::Name)
        );
        assert_eq!(model.error(Field::Name), Some(Problem::Missing));
        assert_eq!(model.error(Field::Email), Some(Problem::NotAnEmail));
        assert_eq!(model.error(Field::Message), Some(Problem::TooShort));
        assert_eq!(model.sending, Sending::Idle);
        // Fixing a field clears its error as the reader types.
        model.update(Msg::Edit(Field::Name, "Bình".to_string()));
        assert_eq!(model.error(Field::Name), None);
        assert_eq!(
            model.update(Msg::Submit { id: "1".into() }),
            Effect::Focus(Field::Email)
        );
    }

    #[test]
    fn a_good_form_is_sent_with_its_key_and_token_and_the_message_cleared_once_taken() {
        let mut model = ready();
        typed(&mut model, "Bình", "", "Cầu đẹp quá, cảm ơn tòa soạn!");
        assert_eq!(model.update(Msg::Submit { id: "k1".into() }), Effect::Send);
        assert_eq!(
            (model.form.id.as_str(), model.token.as_str()),
            ("k1", "token")
        );
        assert_eq!(model.form.name, "Bình");
        assert_eq!(model.sending, Sending::InFlight);
        assert_eq!(
            model.update(Msg::Submit { id: "k2".into() }),
            Effect::None,
            "no double send"
        );
        assert_eq!(model.update(Msg::Sent(Sending::Pending)), Effect::SaveDraft);
        assert_eq!(model.sending, Sending::Pending);
        assert_eq!(model.form.message, "");
        assert_eq!(model.form.name, "Bình", "kept for the next message");
    }

    #[test]
    fn a_failed_send_keeps_every_word() {
        let mut model = ready();
        typed(&mut model, "Bình", "", "Một ý kiến dài hơn mười ký tự.");
        model.update(Msg::Submit { id: "k".into() });
        model.update(Msg::Sent(Sending::Failed));
        assert_eq!(model.sending, Sending::Failed);
        assert_eq!(model.form.message, "Một ý kiến dài hơn mười ký tự.");
        // And it can be sent again, under the same key: the server stores it once.
        assert_eq!(
            model.update(Msg::Submit { id: "other".into() }),
            Effect::Send
        );
        assert_eq!(model.form.id, "k");
        // Changed text is another message, with a new key.
        model.update(Msg::Sent(Sending::Failed));
        model.update(Msg::Edit(
            Field::Message,
            "Một ý kiến khác, dài hơn.".into(),
        ));
        assert_eq!(model.update(Msg::Submit { id: "new".into() }), Effect::Send);
        assert_eq!(model.form.id, "new");
    }

    #[test]
    fn a_field_the_server_refuses_is_marked_and_focused() {
        let mut model = ready();
        typed(
            &mut model,
            "Bình",
            "a@b.vn",
            "Một ý kiến dài hơn mười ký tự.",
        );
        model.update(Msg::Submit { id: "k".into() });
        assert_eq!(
            model.update(Msg::Refused(Field::Email)),
            Effect::Focus(Field::Email)
        );
        assert_eq!(model.error(Field::Email), Some(Problem::NotAnEmail));
        assert_eq!(model.sending, Sending::Idle);
    }

    #[test]
    fn a_send_without_an_answer_waits_in_the_outbox_and_frees_the_form() {
        let mut model = ready();
        typed(&mut model, "Bình", "", "Một ý kiến dài hơn mười ký tự.");
        model.update(Msg::Submit { id: "k".into() });
        assert_eq!(model.update(Msg::Sent(Sending::Queued)), Effect::SaveDraft);
        assert_eq!(model.sending, Sending::Queued);
        assert_eq!(model.form.message, "");
    }

    #[test]
    fn pages_append_without_repeats_and_a_new_sort_starts_over() {
        let mut model = ready();
        assert_eq!(model.update(Msg::More), Effect::LoadMore);
        assert_eq!(model.next.as_deref(), Some("b"));
        assert_eq!(model.update(Msg::More), Effect::None, "one page at a time");
        model.update(Msg::Loaded {
            page: page(&["b", "c"], None),
            more: true,
        });
        let ids: Vec<&str> = model.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(model.update(Msg::More), Effect::None, "no next page");
        assert_eq!(model.update(Msg::Sort(Sort::Liked)), Effect::Load);
        assert_eq!(model.update(Msg::Sort(Sort::Liked)), Effect::None);
        model.update(Msg::Loaded {
            page: page(&["c"], None),
            more: false,
        });
        assert_eq!(model.items.len(), 1);
    }

    #[test]
    fn a_like_counts_once_the_server_says_so_and_only_once() {
        let mut model = ready();
        assert_eq!(
            model.update(Msg::Like("a".into())),
            Effect::Like("a".into())
        );
        assert_eq!(model.items[0].likes, 0, "not counted yet");
        assert_eq!(
            model.update(Msg::Like("a".into())),
            Effect::None,
            "one on its way"
        );
        model.update(Msg::Liked {
            id: "a".into(),
            likes: 4,
        });
        assert!(model.items[0].liked);
        assert_eq!(model.items[0].likes, 4);
        assert_eq!(model.update(Msg::Like("a".into())), Effect::None, "once");
        model.update(Msg::Like("b".into()));
        model.update(Msg::LikeFailed);
        assert!(!model.items[1].liked);
        assert!(!model.items[1].liking);
        assert!(model.items[0].liked, "what the server counted stays");
        assert_eq!(
            model.update(Msg::Like("b".into())),
            Effect::Like("b".into())
        );
    }

    #[test]
    fn a_draft_is_kept_and_first_data_for_another_key_asks_again() {
        let draft = Form {
            name: "An".into(),
            email: String::new(),
            message: "Đang viết dở…".into(),
            id: String::new(),
        };
        let mut model = Model::new(Sort::Liked, draft.clone());
        assert_eq!(model.form, draft);
        assert_eq!(
            model.update(Msg::Edit(Field::Message, "x".into())),
            Effect::SaveDraft
        );
    }

    #[test]
    fn an_auto_published_send_fetches_the_list_again_to_show_it() {
        let mut model = ready();
        typed(&mut model, "Bình", "", "Một ý kiến dài hơn mười ký tự.");
        model.update(Msg::Submit { id: "n".into() });
        assert_eq!(model.update(Msg::Sent(Sending::Published)), Effect::Reload);
        assert_eq!(model.sending, Sending::Published);
        assert_eq!(model.form.message, "");
    }

    #[test]
    fn an_expired_form_token_keeps_the_text_and_fetches_a_fresh_one() {
        let mut model = ready();
        typed(&mut model, "Bình", "", "Một ý kiến dài hơn mười ký tự.");
        model.update(Msg::Submit { id: "n".into() });
        assert_eq!(model.update(Msg::FormExpired), Effect::Load);
        assert_eq!(model.sending, Sending::Failed);
        assert_eq!(model.form.message, "Một ý kiến dài hơn mười ký tự.");
    }

    #[test]
    fn typing_does_not_redraw_the_list() {
        let mut model = ready();
        let before = model.revision;
        typed(&mut model, "Bình", "", "Một ý kiến");
        assert_eq!(model.revision, before);
    }
}
