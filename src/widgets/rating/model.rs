//! The rating widget's state and decisions — plain Rust, no DOM, tested natively.
//!
//! The counts shown are always the server's: a vote the reader casts is shown as their choice,
//! marked as being sent, and counted only once the server confirms it. Votes never overlap: one
//! cast while another is on its way waits and is sent after it (only the newest waits), so the
//! server sees the reader's order. Arrow keys only move the focus; only activating a choice votes.

use super::words::words;
use crate::i18n::Lang;
use alloc::string::String;
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
}

/// Where the widget is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the counts; the element's fallback content is shown.
    Loading,
    /// Counts shown; votes can be cast.
    Ready,
    /// The counts could not be loaded; the fallback content stays (and a retry may be due).
    Failed,
}

/// Why a vote did not stick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server refused it (a 4xx other than 429, or a 5xx).
    Refused,
    /// No answer from the server at all.
    Unreachable,
    /// The server did not answer in time.
    Timeout,
    /// Too many votes from this network; try later.
    RateLimited,
}

/// The short message under the widget, announced politely to screen readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A vote is on its way; the counts do not include it yet.
    Sending,
    /// A vote waits, kept in the page's storage, for the network to return.
    Queued,
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
    /// The server's counts, and the reader's own vote.
    Loaded {
        tally: Tally,
        mine: Option<u8>,
    },
    /// The counts could not be loaded (yet: transient failures are tried again by the transport).
    LoadFailed,
    Move(Move),
    Cast(u8),
    /// The server confirmed a vote: its counts after it.
    Saved {
        tally: Tally,
        mine: Option<u8>,
    },
    Failed(Failure),
    /// The reader asks to send the failed vote again.
    Retry,
    /// This vote got no answer and waits in the page's outbox (or waited there from an earlier
    /// visit); it is sent when the network returns.
    Queued(u8),
    /// Another tab sent the vote that waited: read the counts again.
    SentElsewhere,
}

/// What the widget must do after an update, besides re-rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Send this vote to the server.
    Send(u8),
    /// Move DOM focus to the focused choice.
    Focus,
    /// Ask the server for the counts.
    Ask,
}

/// The rating widget's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub scale: Scale,
    pub phase: Phase,
    /// The counts as the server last gave them.
    pub tally: Tally,
    /// The reader's vote as the server last confirmed it.
    pub mine: Option<u8>,
    /// The reader's newest choice that the server has not confirmed yet.
    pub choice: Option<u8>,
    /// The choice (a vote value) that holds the group's tab stop.
    pub focus: u8,
    pub notice: Option<Notice>,
    /// A vote that failed and that the reader can send again.
    pub retry: Option<u8>,
    /// The vote on its way, if any.
    sending: Option<u8>,
}

impl Model {
    /// A widget waiting for its counts.
    pub fn new(scale: Scale) -> Model {
        Model {
            scale,
            phase: Phase::Loading,
            tally: Tally::default(),
            mine: None,
            choice: None,
            focus: first_choice(scale),
            notice: None,
            retry: None,
            sending: None,
        }
    }

    /// The choice to show as selected: the pending one, else the confirmed vote.
    pub fn selected(&self) -> Option<u8> {
        self.choice.or(self.mine)
    }

    /// Whether a vote is waiting for the server.
    pub fn pending(&self) -> bool {
        self.choice.is_some()
    }

    /// Applies one message and says what else to do.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Loaded { tally, mine } => {
                self.phase = Phase::Ready;
                self.tally = tally;
                self.mine = mine.filter(|v| self.scale.accepts(*v));
                self.focus = self.selected().unwrap_or(first_choice(self.scale));
                Effect::None
            }
            Msg::LoadFailed => {
                if self.phase != Phase::Ready {
                    self.phase = Phase::Failed;
                }
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
                self.focus = list.get(to).copied().unwrap_or(self.focus);
                Effect::Focus
            }
            Msg::Cast(value) => self.cast(value),
            Msg::Retry => match self.retry {
                Some(value) => self.cast(value),
                None => Effect::None,
            },
            Msg::Saved { tally, mine } => {
                self.sending = None;
                self.tally = tally;
                self.mine = mine;
                match self.choice {
                    Some(next) if Some(next) != mine => {
                        // The reader chose again while this one was on its way.
                        self.sending = Some(next);
                        Effect::Send(next)
                    }
                    _ => {
                        self.choice = None;
                        self.notice = Some(Notice::Saved);
                        Effect::None
                    }
                }
            }
            Msg::Failed(failure) => {
                self.sending = None;
                self.retry = self.choice.take();
                self.notice = Some(Notice::Failed(failure));
                Effect::None
            }
            Msg::Queued(value) => {
                if !self.scale.accepts(value) {
                    return Effect::None;
                }
                self.sending = None;
                self.retry = None;
                self.choice = Some(value);
                self.focus = value;
                self.notice = Some(Notice::Queued);
                Effect::None
            }
            Msg::SentElsewhere => {
                self.choice = None;
                self.notice = None;
                Effect::Ask
            }
        }
    }

    fn cast(&mut self, value: u8) -> Effect {
        if self.phase != Phase::Ready || !self.scale.accepts(value) {
            return Effect::None;
        }
        self.focus = value;
        self.retry = None;
        if self.sending.is_none() && self.mine == Some(value) {
            // Already the confirmed vote: nothing to send.
            self.choice = None;
            self.notice = None;
            return Effect::None;
        }
        self.choice = Some(value);
        self.notice = Some(Notice::Sending);
        if self.sending.is_some() {
            return Effect::None;
        }
        self.sending = Some(value);
        Effect::Send(value)
    }
}

/// The first choice of a scale, which holds the tab stop until the reader has a vote.
const fn first_choice(scale: Scale) -> u8 {
    match scale {
        Scale::Stars => 1,
        Scale::Thumbs => 1,
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
    let words = words(lang);
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
    let words = words(lang);
    let name = match scale {
        Scale::Stars => words.stars.get(usize::from(value.saturating_sub(1))),
        Scale::Thumbs => words.thumbs.get(usize::from(value)),
    };
    name.copied().unwrap_or_default()
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
    fn a_vote_is_shown_as_chosen_and_sending_but_not_counted_until_confirmed() {
        let mut model = ready(Scale::Stars, 2, 7, None);
        assert_eq!(model.update(Msg::Cast(5)), Effect::Send(5));
        assert_eq!(model.tally, Tally { count: 2, sum: 7 }, "not counted yet");
        assert_eq!(model.selected(), Some(5));
        assert_eq!(model.mine, None);
        assert_eq!(model.notice, Some(Notice::Sending));
        assert!(model.pending());
        model.update(Msg::Saved {
            tally: Tally { count: 3, sum: 12 },
            mine: Some(5),
        });
        assert_eq!(model.tally, Tally { count: 3, sum: 12 });
        assert_eq!(model.notice, Some(Notice::Saved));
        assert!(!model.pending());
    }

    #[test]
    fn second_vote_from_same_reader_replaces_first() {
        let mut model = ready(Scale::Stars, 3, 12, Some(5));
        assert_eq!(model.update(Msg::Cast(2)), Effect::Send(2));
        model.update(Msg::Saved {
            tally: Tally { count: 3, sum: 9 },
            mine: Some(2),
        });
        assert_eq!(model.tally, Tally { count: 3, sum: 9 });
        assert_eq!(model.selected(), Some(2));
    }

    #[test]
    fn a_failed_vote_goes_back_to_the_confirmed_vote_and_offers_a_retry() {
        let mut model = ready(Scale::Stars, 3, 12, Some(5));
        model.update(Msg::Cast(1));
        model.update(Msg::Failed(Failure::Timeout));
        assert_eq!(model.tally, Tally { count: 3, sum: 12 });
        assert_eq!(model.selected(), Some(5));
        assert_eq!(model.notice, Some(Notice::Failed(Failure::Timeout)));
        assert_eq!(model.retry, Some(1));
        assert!(!model.pending());
        assert_eq!(model.update(Msg::Retry), Effect::Send(1));
        assert_eq!(model.retry, None);
        assert_eq!(model.notice, Some(Notice::Sending));
    }

    #[test]
    fn a_hung_vote_does_not_block_the_next_one_once_it_has_failed() {
        let mut model = ready(Scale::Stars, 1, 3, None);
        assert_eq!(model.update(Msg::Cast(4)), Effect::Send(4));
        assert_eq!(model.update(Msg::Cast(2)), Effect::None, "waits its turn");
        assert_eq!(model.tally, Tally { count: 1, sum: 3 }, "neither counted");
        model.update(Msg::Failed(Failure::Timeout));
        assert_eq!(model.retry, Some(2), "the newest choice can be sent again");
        assert_eq!(
            model.update(Msg::Cast(3)),
            Effect::Send(3),
            "a new vote goes out"
        );
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
        let after_first = Tally { count: 2, sum: 7 };
        assert_eq!(
            model.update(Msg::Saved {
                tally: after_first,
                mine: Some(4)
            }),
            Effect::Send(2)
        );
        assert_eq!(model.tally, after_first, "shows what the server confirmed");
        assert_eq!(model.selected(), Some(2), "and the reader's newest choice");
        assert_eq!(model.notice, Some(Notice::Sending));
        model.update(Msg::Saved {
            tally: Tally { count: 2, sum: 5 },
            mine: Some(2),
        });
        assert_eq!(model.notice, Some(Notice::Saved));
        assert!(!model.pending());
    }

    #[test]
    fn going_back_to_the_confirmed_vote_while_another_is_in_flight_is_still_sent() {
        let mut model = ready(Scale::Stars, 1, 3, Some(3));
        assert_eq!(model.update(Msg::Cast(5)), Effect::Send(5));
        assert_eq!(model.update(Msg::Cast(3)), Effect::None);
        assert_eq!(
            model.update(Msg::Saved {
                tally: Tally { count: 1, sum: 5 },
                mine: Some(5)
            }),
            Effect::Send(3),
            "the server holds 5 now: 3 must follow"
        );
    }

    #[test]
    fn a_vote_without_a_connection_waits_as_chosen_and_is_counted_once_sent() {
        let mut model = ready(Scale::Stars, 2, 7, Some(3));
        assert_eq!(model.update(Msg::Cast(5)), Effect::Send(5));
        assert_eq!(model.update(Msg::Queued(5)), Effect::None);
        assert_eq!(model.notice, Some(Notice::Queued));
        assert_eq!(model.selected(), Some(5));
        assert_eq!(model.tally, Tally { count: 2, sum: 7 }, "not counted");
        assert_eq!(model.retry, None, "it will go by itself");
        // Changing one's mind while offline sends (and queues) the newer vote.
        assert_eq!(model.update(Msg::Cast(4)), Effect::Send(4));
        model.update(Msg::Queued(4));
        model.update(Msg::Saved {
            tally: Tally { count: 2, sum: 8 },
            mine: Some(4),
        });
        assert_eq!(model.notice, Some(Notice::Saved));
        assert!(!model.pending());
    }

    #[test]
    fn a_vote_waiting_from_an_earlier_visit_shows_once_the_counts_arrive() {
        let mut model = Model::new(Scale::Thumbs);
        model.update(Msg::Queued(0));
        model.update(Msg::Loaded {
            tally: Tally { count: 1, sum: 1 },
            mine: None,
        });
        assert_eq!(model.selected(), Some(0));
        assert_eq!(model.notice, Some(Notice::Queued));
        assert_eq!(model.update(Msg::SentElsewhere), Effect::Ask);
        assert!(!model.pending());
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
        assert!(!model.pending());
    }

    #[test]
    fn voting_is_impossible_before_the_counts_or_out_of_range() {
        let mut model = Model::new(Scale::Stars);
        assert_eq!(model.update(Msg::Cast(3)), Effect::None);
        let mut model = ready(Scale::Thumbs, 0, 0, None);
        assert_eq!(model.update(Msg::Cast(2)), Effect::None);
        assert_eq!(model.update(Msg::Cast(0)), Effect::Send(0));
    }

    #[test]
    fn repeating_the_confirmed_vote_sends_nothing() {
        let mut model = ready(Scale::Stars, 1, 4, Some(4));
        assert_eq!(model.update(Msg::Cast(4)), Effect::None);
        assert!(!model.pending());
    }

    #[test]
    fn counts_that_arrive_after_a_failure_make_the_widget_ready() {
        let mut model = Model::new(Scale::Stars);
        model.update(Msg::LoadFailed);
        assert_eq!(model.phase, Phase::Failed);
        model.update(Msg::Loaded {
            tally: Tally { count: 1, sum: 1 },
            mine: None,
        });
        assert_eq!(model.phase, Phase::Ready);
        model.update(Msg::LoadFailed);
        assert_eq!(
            model.phase,
            Phase::Ready,
            "a late failure does not hide shown counts"
        );
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
