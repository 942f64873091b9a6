//! The rating widget's state and decisions — plain Rust, no DOM, tested natively.
//!
//! A vote is shown at once (optimistic) and rolled back if the server refuses it or cannot be
//! reached. Arrow keys only move the focus; only activating a choice casts a vote.

use crate::i18n::Lang;
use bangtin_api::Scale;

/// Number of votes and the sum of their values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u64,
    pub sum: u64,
}

impl Tally {
    /// The mean vote, if there are votes.
    pub fn average(self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// The tally after a reader whose previous vote was `old` votes `new`.
    pub fn with_vote(self, old: Option<u8>, new: u8) -> Tally {
        match old {
            Some(old) => Tally {
                count: self.count,
                sum: (self.sum + u64::from(new)).saturating_sub(u64::from(old)),
            },
            None => Tally {
                count: self.count + 1,
                sum: self.sum + u64::from(new),
            },
        }
    }
}

/// Where the widget is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the summary; the element's fallback content is shown.
    Loading,
    /// Summary shown; votes can be cast.
    Ready,
    /// The summary could not be loaded; the fallback content stays.
    Failed,
}

/// Why a vote did not stick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server refused it (4xx other than 429, or 5xx).
    Refused,
    /// No answer from the server.
    Unreachable,
    /// Too many votes from this network; try later.
    RateLimited,
}

/// The short message under the widget, announced politely to screen readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Saved,
    Failed(Failure),
}

/// Focus movement inside the radio group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Next,
    Prev,
    First,
    Last,
}

/// Everything that can happen to a rating widget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Loaded { tally: Tally, mine: Option<u8> },
    LoadFailed,
    Move(Move),
    Cast(u8),
    Saved { tally: Tally, mine: Option<u8> },
    Failed(Failure),
}

/// What the widget must do after an update, besides re-rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Send this vote to the server. Votes never overlap: one cast while another is in flight
    /// waits for it (only the latest waits), so the server sees them in the reader's order.
    Send(u8),
    /// Move DOM focus to the focused choice.
    Focus,
}

/// The rating widget's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub scale: Scale,
    pub phase: Phase,
    pub tally: Tally,
    /// The reader's own vote.
    pub mine: Option<u8>,
    /// The choice (a vote value) that holds the group's tab stop.
    pub focus: u8,
    pub notice: Option<Notice>,
    /// The last state the server confirmed, kept while votes are unconfirmed, for rollback.
    confirmed: Option<(Tally, Option<u8>)>,
    /// A vote is on its way to the server.
    sending: bool,
    /// The vote to send once the one in flight is answered.
    queued: Option<u8>,
}

impl Model {
    /// A widget waiting for its summary.
    pub fn new(scale: Scale) -> Model {
        Model {
            scale,
            phase: Phase::Loading,
            tally: Tally::default(),
            mine: None,
            focus: choices(scale)[0],
            notice: None,
            confirmed: None,
            sending: false,
            queued: None,
        }
    }

    /// Whether a vote is waiting for the server.
    pub fn in_flight(&self) -> bool {
        self.confirmed.is_some()
    }

    /// Applies one message and says what else to do.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Loaded { tally, mine } => {
                self.phase = Phase::Ready;
                self.tally = tally;
                self.mine = mine.filter(|v| self.scale.accepts(*v));
                self.focus = self.mine.unwrap_or(choices(self.scale)[0]);
                Effect::None
            }
            Msg::LoadFailed => {
                self.phase = Phase::Failed;
                Effect::None
            }
            Msg::Move(step) => {
                let list = choices(self.scale);
                let at = list.iter().position(|v| *v == self.focus).unwrap_or(0);
                let to = match step {
                    Move::Next => (at + 1) % list.len(),
                    Move::Prev => (at + list.len() - 1) % list.len(),
                    Move::First => 0,
                    Move::Last => list.len() - 1,
                };
                self.focus = list[to];
                Effect::Focus
            }
            Msg::Cast(value) => {
                if self.phase != Phase::Ready || !self.scale.accepts(value) {
                    return Effect::None;
                }
                self.focus = value;
                if self.mine == Some(value) && !self.in_flight() {
                    return Effect::None;
                }
                if self.confirmed.is_none() {
                    self.confirmed = Some((self.tally, self.mine));
                }
                self.tally = self.tally.with_vote(self.mine, value);
                self.mine = Some(value);
                self.notice = None;
                if self.sending {
                    self.queued = Some(value);
                    return Effect::None;
                }
                self.sending = true;
                Effect::Send(value)
            }
            Msg::Saved { tally, mine } => {
                self.sending = false;
                if let Some(next) = self.queued.take() {
                    // Still ahead of the server: show the queued vote on top of what it confirmed.
                    self.confirmed = Some((tally, mine));
                    self.tally = tally.with_vote(mine, next);
                    self.mine = Some(next);
                    self.sending = true;
                    return Effect::Send(next);
                }
                self.confirmed = None;
                self.tally = tally;
                self.mine = mine;
                self.notice = Some(Notice::Saved);
                Effect::None
            }
            Msg::Failed(failure) => {
                self.sending = false;
                self.queued = None;
                if let Some((tally, mine)) = self.confirmed.take() {
                    self.tally = tally;
                    self.mine = mine;
                }
                self.notice = Some(Notice::Failed(failure));
                Effect::None
            }
        }
    }
}

/// The vote values a scale offers, in display order (thumbs up first).
pub const fn choices(scale: Scale) -> &'static [u8] {
    match scale {
        Scale::Stars => &[1, 2, 3, 4, 5],
        Scale::Thumbs => &[1, 0],
    }
}

/// The summary line, e.g. "4,3/5 · 128 lượt bình chọn". `number(value, decimals)` formats
/// numbers for the language (the view passes `Intl`).
pub fn summary_text(
    lang: Lang,
    scale: Scale,
    tally: Tally,
    number: impl Fn(f64, u8) -> String,
) -> String {
    let words = lang.strings();
    if tally.count == 0 {
        return words.no_votes.into();
    }
    let mut text = String::new();
    match scale {
        Scale::Stars => {
            text.push_str(&number(tally.average().unwrap_or_default(), 1));
            text.push_str("/5 · ");
            text.push_str(&number(tally.count as f64, 0));
            text.push_str(if tally.count == 1 {
                words.vote_one
            } else {
                words.vote_many
            });
        }
        Scale::Thumbs => {
            text.push_str(&number(tally.sum as f64, 0));
            text.push_str(words.ups);
            text.push_str(" · ");
            text.push_str(&number(tally.count.saturating_sub(tally.sum) as f64, 0));
            text.push_str(words.downs);
        }
    }
    text
}

/// The accessible name of the choice `value`.
pub fn choice_label(lang: Lang, scale: Scale, value: u8) -> &'static str {
    let words = lang.strings();
    match scale {
        Scale::Stars => words.stars[usize::from(value.clamp(1, 5) - 1)],
        Scale::Thumbs => words.thumbs[usize::from(value.min(1))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(scale: Scale, count: u64, sum: u64, mine: Option<u8>) -> Model {
        let mut model = Model::new(scale);
        model.update(Msg::Loaded {
            tally: Tally { count, sum },
            mine,
        });
        model
    }

    /// A stand-in for `Intl` with Vietnamese separators, enough to test the sentence shape.
    fn vi_number(value: f64, decimals: u8) -> String {
        if decimals == 0 {
            (value as u64).to_string()
        } else {
            let tenths = (value * 10.0).round() as u64;
            [(tenths / 10).to_string(), (tenths % 10).to_string()].join(",")
        }
    }

    #[test]
    fn first_vote_is_shown_at_once_and_sent() {
        let mut model = ready(Scale::Stars, 2, 7, None);
        assert_eq!(model.update(Msg::Cast(5)), Effect::Send(5));
        assert_eq!(model.tally, Tally { count: 3, sum: 12 });
        assert_eq!(model.mine, Some(5));
        assert!(model.in_flight());
    }

    #[test]
    fn second_vote_from_same_reader_replaces_first() {
        let mut model = ready(Scale::Stars, 3, 12, Some(5));
        assert_eq!(model.update(Msg::Cast(2)), Effect::Send(2));
        assert_eq!(model.tally, Tally { count: 3, sum: 9 });
        assert_eq!(model.mine, Some(2));
    }

    #[test]
    fn refused_vote_rolls_back_to_the_confirmed_state() {
        let mut model = ready(Scale::Stars, 3, 12, Some(5));
        model.update(Msg::Cast(1));
        model.update(Msg::Cast(2));
        model.update(Msg::Failed(Failure::Unreachable));
        assert_eq!(model.tally, Tally { count: 3, sum: 12 });
        assert_eq!(model.mine, Some(5));
        assert_eq!(model.notice, Some(Notice::Failed(Failure::Unreachable)));
        assert!(!model.in_flight());
    }

    #[test]
    fn a_vote_cast_while_another_is_in_flight_is_sent_after_it() {
        let mut model = ready(Scale::Stars, 1, 3, None);
        assert_eq!(model.update(Msg::Cast(4)), Effect::Send(4));
        assert_eq!(model.update(Msg::Cast(1)), Effect::None, "waits its turn");
        assert_eq!(
            model.update(Msg::Cast(2)),
            Effect::None,
            "only the latest waits"
        );
        assert_eq!(model.tally, Tally { count: 2, sum: 5 });
        let after_first = Tally { count: 2, sum: 7 };
        assert_eq!(
            model.update(Msg::Saved {
                tally: after_first,
                mine: Some(4)
            }),
            Effect::Send(2)
        );
        assert_eq!(
            model.tally,
            Tally { count: 2, sum: 5 },
            "still shows the latest"
        );
        assert_eq!(model.notice, None);
        model.update(Msg::Failed(Failure::Refused));
        assert_eq!(
            model.tally, after_first,
            "rolls back to what the server confirmed"
        );
        assert_eq!(model.mine, Some(4));
    }

    #[test]
    fn saved_vote_takes_the_servers_numbers() {
        let mut model = ready(Scale::Stars, 0, 0, None);
        model.update(Msg::Cast(4));
        let server = Tally { count: 10, sum: 40 };
        model.update(Msg::Saved {
            tally: server,
            mine: Some(4),
        });
        assert_eq!(model.tally, server);
        assert_eq!(model.notice, Some(Notice::Saved));
        assert!(!model.in_flight());
    }

    #[test]
    fn arrows_move_focus_and_never_vote() {
        let mut model = ready(Scale::Stars, 1, 3, Some(3));
        assert_eq!(model.focus, 3);
        assert_eq!(model.update(Msg::Move(Move::Next)), Effect::Focus);
        assert_eq!(model.focus, 4);
        model.update(Msg::Move(Move::Last));
        model.update(Msg::Move(Move::Next));
        assert_eq!(model.focus, 1, "wraps around");
        model.update(Msg::Move(Move::Prev));
        assert_eq!(model.focus, 5);
        assert_eq!(model.mine, Some(3));
        assert_eq!(model.tally, Tally { count: 1, sum: 3 });
    }

    #[test]
    fn voting_is_impossible_before_the_summary_or_out_of_range() {
        let mut model = Model::new(Scale::Stars);
        assert_eq!(model.update(Msg::Cast(3)), Effect::None);
        let mut model = ready(Scale::Thumbs, 0, 0, None);
        assert_eq!(model.update(Msg::Cast(2)), Effect::None);
        assert_eq!(model.update(Msg::Cast(0)), Effect::Send(0));
    }

    #[test]
    fn repeating_the_same_vote_sends_nothing() {
        let mut model = ready(Scale::Stars, 1, 4, Some(4));
        assert_eq!(model.update(Msg::Cast(4)), Effect::None);
    }

    #[test]
    fn summary_reads_like_the_newspaper_writes_it() {
        let tally = Tally {
            count: 128,
            sum: 550,
        };
        assert_eq!(
            summary_text(Lang::Vi, Scale::Stars, tally, vi_number),
            "4,3/5 · 128 lượt bình chọn"
        );
        let one = Tally { count: 1, sum: 4 };
        assert_eq!(
            summary_text(Lang::En, Scale::Stars, one, vi_number),
            "4,0/5 · 1 vote"
        );
        let thumbs = Tally { count: 15, sum: 12 };
        assert_eq!(
            summary_text(Lang::Vi, Scale::Thumbs, thumbs, vi_number),
            "12 thích · 3 không thích"
        );
        assert_eq!(
            summary_text(Lang::En, Scale::Stars, Tally::default(), vi_number),
            "No votes yet"
        );
    }

    #[test]
    fn choices_have_names_in_both_languages() {
        assert_eq!(choice_label(Lang::Vi, Scale::Stars, 4), "4 sao");
        assert_eq!(choice_label(Lang::En, Scale::Thumbs, 1), "Like");
        assert_eq!(choices(Scale::Thumbs), &[1, 0]);
    }
}
