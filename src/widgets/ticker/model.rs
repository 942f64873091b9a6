//! The ticker's state and decisions — plain Rust, no DOM, tested natively.
//!
//! What it decides: which headlines are shown and in what order, when a refreshed list may
//! replace the shown one without moving the text a reader is looking at, whether anything moves
//! (WCAG 2.2.2: the pause button, hover, keyboard focus, a hidden tab, reduced motion), when to
//! ask the server again, and how a date reads ("13:46" today in Vietnam, "26/11" before).

use alloc::string::String;
use alloc::vec::Vec;
#[cfg(test)]
use bangtin_api::ticker::NewsItem;

/// How the headlines are shown. (`view.js` knows them by number, in this order.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A continuous marquee.
    Scroll,
    /// One headline at a time.
    Fade,
    /// All of them, still.
    List,
}

impl Mode {
    pub fn parse(raw: &str) -> Option<Mode> {
        match raw {
            "scroll" => Some(Mode::Scroll),
            "fade" => Some(Mode::Fade),
            "list" => Some(Mode::List),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Scroll => "scroll",
            Mode::Fade => "fade",
            Mode::List => "list",
        }
    }
}

/// One headline, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    /// Pinned by the newsroom ("Nóng").
    pub breaking: bool,
    /// What the view shows, as the codec wrote it for the view (opaque here; see
    /// [`Line::of`]): two lines are the same headline shown the same way when these are equal.
    pub shown: String,
}

// How an item from the server becomes a line: the rules, in Rust and tested here. In the widget
// `view.js` applies them as it reads the answer (`codec::read_lines`: date arithmetic costs the
// wasm several times what it costs in JavaScript); the browser tests (`tests.rs`) hold what it
// reads to what these functions make of the same items, across the edges of a day.

#[cfg(test)]
const MINUTE: u64 = 60_000;
#[cfg(test)]
const DAY: u64 = 1_440 * MINUTE;
/// Vietnam is UTC+7 all year.
#[cfg(test)]
const VIETNAM: u64 = 420 * MINUTE;

/// What a line shows, spelled out: `[pinned ("Nóng"), new ("Mới": younger than the badge
/// window, and not pinned), the address when it is http(s) (else empty: shown as text, unlinked),
/// title, time ("13:46" today in Vietnam, "26/11" before; empty without a date), section]`, the
/// JSON array in [`Line::shown`] (what `view.js` writes and reads back).
#[cfg(test)]
pub type Shown = (bool, bool, String, String, String, String);

/// What `line` shows (see [`Shown`]).
#[cfg(test)]
pub fn shown(line: &Line) -> Shown {
    serde_json::from_str(&line.shown).expect("a line's shown part is the codec's JSON")
}

#[cfg(test)]
impl Line {
    /// The server's `item` as a line, seen at `now` (ms since the epoch), badged "Mới" when
    /// younger than `fresh` minutes (0: never) and not pinned.
    pub fn of(item: NewsItem, now: u64, fresh: u32) -> Line {
        let at = item.published_at;
        let shown: Shown = (
            item.breaking,
            !item.breaking
                && at.is_some_and(|at| now.saturating_sub(at) < u64::from(fresh) * MINUTE),
            if link(&item.url) {
                item.url
            } else {
                String::new()
            },
            item.title,
            at.map(|at| clock(at, now)).unwrap_or_default(),
            item.section.unwrap_or_default(),
        );
        Line {
            id: item.id,
            breaking: item.breaking,
            shown: serde_json::to_string(&shown).expect("strings and booleans are JSON"),
        }
    }
}

/// The server's items as lines (see [`Line::of`]), pinned first, each group in the server's
/// order: what the codec makes of an answer (`codec::read_lines`).
#[cfg(test)]
pub fn lines(items: Vec<NewsItem>, now: u64, fresh: u32) -> Vec<Line> {
    let (pinned, rest): (Vec<NewsItem>, Vec<NewsItem>) =
        items.into_iter().partition(|item| item.breaking);
    pinned
        .into_iter()
        .chain(rest)
        .map(|item| Line::of(item, now, fresh))
        .collect()
}

#[cfg(test)]
/// Whether `url` may be a link: http or https, nothing else (no `javascript:`, no `data:`).
pub fn link(url: &str) -> bool {
    let starts = |scheme: &[u8]| {
        url.as_bytes()
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    };
    starts(b"http://") || starts(b"https://")
}

#[cfg(test)]
/// When `at` was, as a reader in Vietnam at `now` says it: "13:46" for today (and a clock a
/// little ahead), "26/11" for an earlier day.
pub fn clock(at: u64, now: u64) -> String {
    let local = at + VIETNAM;
    let minutes = local % DAY / MINUTE;
    let (a, b, sep) = if local / DAY >= (now + VIETNAM) / DAY {
        (minutes / 60, minutes % 60, b':')
    } else {
        let (day, month) = day_month(local / DAY);
        (day, month, b'/')
    };
    let digit = |n: u64| b'0' + (n % 10) as u8;
    let text = [digit(a / 10), digit(a), sep, digit(b / 10), digit(b)];
    core::str::from_utf8(&text).unwrap_or_default().into()
}

#[cfg(test)]
/// Day and month of the `days`-th day since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn day_month(days: u64) -> (u64, u64) {
    let z = days + 719_468;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    (day, if mp < 10 { mp + 3 } else { mp - 9 })
}

/// How many of `lines` (pinned first) are pinned.
fn pinned(lines: &[Line]) -> usize {
    lines.iter().take_while(|line| line.breaking).count()
}

/// Where the headline `line` is among the moving (not pinned) ones of `lines`.
fn position(lines: &[Line], line: Option<&Line>) -> Option<usize> {
    let id = &line?.id;
    lines
        .get(pinned(lines)..)?
        .iter()
        .position(|line| line.id == *id)
}

/// Where the widget is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the first news; the element's fallback content shows.
    Loading = 0,
    Ready = 1,
    /// The first news could not be loaded; it is being tried again.
    Failed = 2,
}

/// Everything that can happen to a ticker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// News arrived at `now` (ms since the epoch): the first, or a refresh.
    Loaded { lines: Vec<Line>, now: u64 },
    /// The first news could not be loaded (it is tried again).
    LoadFailed,
    /// A refresh got no usable answer at `now`: the shown news stays; the next refresh is a
    /// whole period later (no hammering a server that is down).
    Missed { now: u64 },
    /// Time to ask the server again.
    Due,
    /// The pause/play button.
    Toggle,
    /// The pointer is over the moving headlines, or not.
    Hover(bool),
    /// Keyboard focus is on a headline, or not.
    Focus(bool),
    /// The tab is hidden, or visible again.
    Hidden(bool),
    /// The reader asks for reduced motion (`prefers-reduced-motion: reduce`), or not.
    ReducedMotion(bool),
    /// The marquee finished a loop (its text is back where it started).
    Loop,
    /// The fade interval passed: the next headline.
    Tick,
}

/// What the widget must do besides re-rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Ask the server for the news (conditionally: see `mod.rs`).
    Fetch,
}

/// The ticker's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    chosen: Mode,
    reduced: bool,
    pub phase: Phase,
    /// What is shown: pinned items first, then the others in display order.
    pub lines: Vec<Line>,
    /// A refreshed list waiting for a moment when it can replace `lines` without moving the
    /// text a reader is looking at.
    pending: Option<Vec<Line>>,
    /// In fade mode, the headline shown (an index into [`Model::rest`]).
    pub current: usize,
    /// The reader pressed pause.
    pub paused: bool,
    hover: bool,
    focus: bool,
    hidden: bool,
    /// A refresh is on its way.
    fetching: bool,
    /// When news last arrived (ms since the epoch).
    last: u64,
    /// Changes whenever `lines` or the mode change: the view rebuilds the list then.
    pub revision: u32,
}

impl Model {
    /// A ticker waiting for its first news, shown as `mode` unless the reader wants reduced
    /// motion.
    pub fn new(mode: Mode, reduced: bool) -> Model {
        Model {
            chosen: mode,
            reduced,
            phase: Phase::Loading,
            lines: Vec::new(),
            pending: None,
            current: 0,
            paused: false,
            hover: false,
            focus: false,
            hidden: false,
            fetching: false,
            last: 0,
            revision: 0,
        }
    }

    /// The mode in effect: reduced motion makes every ticker a still list.
    pub fn mode(&self) -> Mode {
        if self.reduced {
            Mode::List
        } else {
            self.chosen
        }
    }

    /// How many of [`Model::lines`] are pinned.
    pub fn pinned(&self) -> usize {
        pinned(&self.lines)
    }

    /// The lines that move (or fade): all but the pinned ones.
    pub fn rest(&self) -> &[Line] {
        self.lines.get(self.pinned()..).unwrap_or_default()
    }

    /// Whether the headlines move now.
    pub fn moving(&self) -> bool {
        self.mode() != Mode::List && !self.paused && !self.held() && !self.hidden
    }

    /// The reader is on the headlines: nothing may change under the pointer or the focus.
    fn held(&self) -> bool {
        self.hover || self.focus
    }

    /// Whether the fade timer runs.
    pub fn fading(&self) -> bool {
        self.phase == Phase::Ready && self.mode() == Mode::Fade && self.moving()
    }

    /// Whether a refresh should be scheduled: the news is shown, the tab is visible and no
    /// refresh is on its way.
    pub fn polls(&self) -> bool {
        self.phase == Phase::Ready && !self.hidden && !self.fetching
    }

    /// How long until the next refresh is due, at `now`, refreshing every `every` ms.
    pub fn due_in(&self, now: u64, every: u64) -> u64 {
        (self.last + every).saturating_sub(now)
    }

    /// Whether a refreshed list waits to be shown.
    #[cfg(test)]
    pub fn has_pending(&self) -> bool {
        self.pending.is_some()
    }

    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Loaded { lines, now } => {
                self.last = now;
                self.fetching = false;
                if self.phase != Phase::Ready {
                    self.phase = Phase::Ready;
                    self.show(lines);
                } else if lines == self.lines {
                    self.pending = None;
                } else {
                    self.pending = Some(lines);
                }
            }
            Msg::LoadFailed => {
                if self.phase != Phase::Ready {
                    self.phase = Phase::Failed;
                }
            }
            Msg::Missed { now } => {
                self.last = now;
                self.fetching = false;
            }
            Msg::Due => {
                if self.polls() {
                    self.fetching = true;
                    return Effect::Fetch;
                }
            }
            Msg::Toggle => self.paused = !self.paused,
            Msg::Hover(on) => self.hover = on,
            Msg::Focus(on) => self.focus = on,
            Msg::Hidden(on) => self.hidden = on,
            Msg::ReducedMotion(on) => {
                self.reduced = on;
                self.revision = self.revision.wrapping_add(1);
            }
            Msg::Loop => {
                // The marquee is back at its start: the first moving headline is at the left
                // edge. The new list goes in turned so that the same headline stays there; the
                // new ones come round at the end of the loop.
                if let Some(mut lines) = self.pending.take() {
                    let at = position(&lines, self.rest().first()).unwrap_or(0);
                    let pinned = pinned(&lines);
                    // One place at a time (at most 50 lines): `rotate_left` costs the wasm more.
                    if let Some(rest) = lines.get_mut(pinned..) {
                        for _ in 0..at {
                            for i in 1..rest.len() {
                                rest.swap(i - 1, i);
                            }
                        }
                    }
                    self.show(lines);
                }
            }
            Msg::Tick => {
                // The next headline; a new list goes in now, continuing after the one shown.
                let mut next = self.current + 1;
                if let Some(lines) = self.pending.take() {
                    next = position(&lines, self.rest().get(self.current)).map_or(0, |at| at + 1);
                    self.show(lines);
                }
                self.current = if next < self.rest().len() { next } else { 0 };
            }
        }
        // Whatever happened, a waiting list may go in now (one place for the wasm: nothing
        // but a new list, the mode, the hover and the focus changes what `settle` decides).
        self.settle();
        Effect::None
    }

    /// Shows a waiting list now if nothing moves it in later (a still list, or nothing that
    /// moves yet) and the reader is not on it.
    fn settle(&mut self) {
        let still = self.mode() == Mode::List || self.rest().is_empty();
        if still && !self.held() {
            if let Some(lines) = self.pending.take() {
                self.show(lines);
            }
        }
    }

    fn show(&mut self, lines: Vec<Line>) {
        self.lines = lines;
        self.current = 0;
        self.revision = self.revision.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// 2026-11-26 06:46 UTC: 13:46 in Hà Nội.
    const AT: u64 = 1_795_675_560_000;

    fn item(id: &str, at: Option<u64>) -> NewsItem {
        NewsItem {
            id: id.into(),
            title: ["Tin ", id].concat(),
            url: ["https://bao.example/", id].concat(),
            published_at: at,
            section: None,
            breaking: false,
        }
    }

    fn line(id: &str) -> Line {
        lines(vec![item(id, None)], AT, 30).remove(0)
    }

    fn ids(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|line| line.id.as_str()).collect()
    }

    fn ready(mode: Mode, list: &[&str]) -> Model {
        let mut model = Model::new(mode, false);
        model.update(Msg::Loaded {
            lines: list.iter().map(|id| line(id)).collect(),
            now: AT,
        });
        model
    }

    fn refreshed(list: &[&str]) -> Msg {
        Msg::Loaded {
            lines: list.iter().map(|id| line(id)).collect(),
            now: AT + 300_000,
        }
    }

    #[test]
    fn times_read_as_a_clock_today_and_as_a_date_before_in_vietnam_time() {
        assert_eq!(clock(AT, AT), "13:46");
        assert_eq!(clock(AT - 6 * 60 * MINUTE, AT), "07:46");
        // 2026-11-25 17:00 UTC is midnight, 26/11, in Vietnam: today.
        let midnight = 1_795_626_000_000;
        assert_eq!(clock(midnight, AT), "00:00");
        // A minute earlier was yesterday there.
        assert_eq!(clock(midnight - MINUTE, AT), "25/11");
        // 16:59 UTC on the 26th is 23:59 in Vietnam, still today; a reader after their
        // midnight (17:00 UTC) sees that as yesterday.
        let late = midnight + DAY - MINUTE;
        assert_eq!(clock(late, late), "23:59");
        assert_eq!(clock(late, late + MINUTE), "26/11");
        // Older days, a year boundary, a leap day.
        assert_eq!(clock(AT - 30 * DAY, AT), "27/10");
        assert_eq!(clock(1_767_225_599_000 - VIETNAM, AT), "31/12"); // 2025-12-31 23:59:59 in VN
        assert_eq!(clock(1_709_164_800_000, AT), "29/02"); // 2024-02-29 00:00 UTC
                                                           // A server clock a little ahead is still today.
        assert_eq!(clock(AT + 5 * MINUTE, AT), "13:51");
    }

    #[test]
    fn items_are_new_for_the_configured_minutes_only() {
        let items = vec![
            item("a", Some(AT - 29 * MINUTE)),
            item("b", Some(AT - 30 * MINUTE)),
            item("c", None),
            item("d", Some(AT + MINUTE)),
        ];
        let got = lines(items.clone(), AT, 30);
        let new: Vec<bool> = got.iter().map(|line| shown(line).1).collect();
        assert_eq!(new, [true, false, false, true]);
        assert!(
            lines(items.clone(), AT, 0)
                .iter()
                .all(|line| !shown(line).1),
            "0: no badge"
        );
        let mut pinned = items[0].clone();
        pinned.breaking = true;
        assert!(!shown(&Line::of(pinned, AT, 30)).1, "pinned: \"Nóng\" only");
    }

    #[test]
    fn only_http_links_are_links_and_pinned_items_lead() {
        let mut hostile = item("x", None);
        hostile.url = "javascript:alert(1)".into();
        let mut pinned = item("p", None);
        pinned.breaking = true;
        pinned.url = "HTTPS://bao.example/p".into();
        let mut data = item("d", None);
        data.url = "data:text/html,<script>".into();
        let got = lines(vec![item("a", None), hostile, pinned, data], AT, 30);
        assert_eq!(ids(&got), ["p", "a", "x", "d"]);
        let urls: Vec<bool> = got.iter().map(|line| !shown(line).2.is_empty()).collect();
        assert_eq!(urls, [true, true, false, false]);
        for bad in [
            "",
            "http:/x",
            " http://x",
            "ftp://x",
            "//x",
            "/x",
            "https:x",
        ] {
            assert!(!link(bad), "{bad}");
        }
        assert!(link("http://x") && link("https://bao.example/a?b#c"));
    }

    #[test]
    fn fade_shows_each_headline_in_turn_and_wraps() {
        let mut model = ready(Mode::Fade, &["a", "b", "c"]);
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(model.rest()[model.current].id.clone());
            model.update(Msg::Tick);
        }
        assert_eq!(seen, ["a", "b", "c", "a"]);
    }

    #[test]
    fn a_refreshed_list_waits_in_fade_mode_for_the_next_switch() {
        let mut model = ready(Mode::Fade, &["a", "b", "c"]);
        model.update(Msg::Tick); // showing b
        let revision = model.revision;
        model.update(refreshed(&["n", "a", "b", "c"]));
        assert_eq!(model.revision, revision, "the headline on screen stays");
        assert_eq!(model.rest()[model.current].id, "b");
        model.update(Msg::Tick);
        assert_eq!(ids(&model.lines), ["n", "a", "b", "c"]);
        assert_eq!(model.rest()[model.current].id, "c", "continues after b");
        // The shown one gone: start from the newest.
        model.update(refreshed(&["m", "n"]));
        model.update(Msg::Tick);
        assert_eq!(model.rest()[model.current].id, "m");
    }

    #[test]
    fn a_refreshed_list_joins_the_marquee_at_its_loop_keeping_the_first_headline_in_place() {
        let mut model = ready(Mode::Scroll, &["a", "b", "c"]);
        model.update(refreshed(&["n", "a", "b", "c"]));
        assert_eq!(ids(&model.lines), ["a", "b", "c"], "nothing moves mid-loop");
        assert!(model.has_pending());
        model.update(Msg::Loop);
        assert_eq!(ids(&model.lines), ["a", "b", "c", "n"]);
        assert!(!model.has_pending());
        // A pinned item goes in at the loop too, ahead of the marquee.
        let mut pin = line("p");
        pin.breaking = true;
        let mut lines: Vec<Line> = ["n", "a", "b"].iter().map(|id| line(id)).collect();
        lines.insert(0, pin);
        model.update(Msg::Loaded { lines, now: AT });
        model.update(Msg::Loop);
        assert_eq!(ids(&model.lines), ["p", "a", "b", "n"]);
        assert_eq!(model.pinned(), 1);
        assert_eq!(ids(model.rest()), ["a", "b", "n"]);
    }

    #[test]
    fn the_same_list_again_changes_nothing() {
        let mut model = ready(Mode::List, &["a", "b"]);
        let revision = model.revision;
        model.update(refreshed(&["a", "b"]));
        assert_eq!(model.revision, revision);
    }

    #[test]
    fn a_still_list_takes_new_items_at_once_but_never_under_the_pointer_or_focus() {
        let mut model = ready(Mode::List, &["a", "b"]);
        model.update(refreshed(&["n", "a", "b"]));
        assert_eq!(ids(&model.lines), ["n", "a", "b"]);
        model.update(Msg::Focus(true));
        model.update(refreshed(&["m", "n", "a"]));
        assert_eq!(ids(&model.lines), ["n", "a", "b"], "a reader is on it");
        model.update(Msg::Hover(true));
        model.update(Msg::Focus(false));
        assert_eq!(ids(&model.lines), ["n", "a", "b"]);
        model.update(Msg::Hover(false));
        assert_eq!(ids(&model.lines), ["m", "n", "a"]);
    }

    #[test]
    fn a_marquee_with_nothing_moving_takes_news_at_once() {
        let mut model = ready(Mode::Scroll, &[]);
        model.update(refreshed(&["a"]));
        assert_eq!(ids(&model.lines), ["a"]);
    }

    #[test]
    fn the_button_hover_focus_and_a_hidden_tab_each_stop_the_motion() {
        let mut model = ready(Mode::Scroll, &["a", "b"]);
        assert!(model.moving());
        for (on, off) in [
            (Msg::Toggle, Msg::Toggle),
            (Msg::Hover(true), Msg::Hover(false)),
            (Msg::Focus(true), Msg::Focus(false)),
            (Msg::Hidden(true), Msg::Hidden(false)),
        ] {
            model.update(on.clone());
            assert!(!model.moving(), "{on:?}");
            model.update(off);
            assert!(model.moving(), "{on:?} undone");
        }
        let mut fade = ready(Mode::Fade, &["a", "b"]);
        assert!(fade.fading());
        fade.update(Msg::Focus(true));
        assert!(!fade.fading(), "no switching while a headline has focus");
    }

    #[test]
    fn reduced_motion_makes_a_still_list() {
        let mut model = Model::new(Mode::Scroll, true);
        assert_eq!(model.mode(), Mode::List);
        model.update(refreshed(&["a", "b"]));
        assert!(!model.moving());
        assert!(!model.fading());
        let revision = model.revision;
        model.update(Msg::ReducedMotion(false));
        assert_eq!(model.mode(), Mode::Scroll);
        assert!(model.moving());
        assert_ne!(model.revision, revision, "rebuilt for the new mode");
        let mut fade = ready(Mode::Fade, &["a", "b"]);
        fade.update(Msg::ReducedMotion(true));
        assert_eq!(fade.mode(), Mode::List);
        assert!(!fade.fading());
    }

    #[test]
    fn refreshes_are_due_every_period_one_at_a_time_and_never_while_hidden() {
        let mut model = Model::new(Mode::Scroll, false);
        assert!(!model.polls(), "the first news comes from the boot request");
        assert_eq!(model.update(Msg::Due), Effect::None);
        model.update(Msg::Loaded {
            lines: Vec::new(),
            now: AT,
        });
        assert!(model.polls());
        assert_eq!(model.due_in(AT + 60_000, 300_000), 240_000);
        assert_eq!(model.due_in(AT + 900_000, 300_000), 0, "overdue: at once");
        assert_eq!(model.update(Msg::Due), Effect::Fetch);
        assert!(!model.polls(), "one at a time");
        assert_eq!(model.update(Msg::Due), Effect::None);
        model.update(Msg::Missed { now: AT + 900_000 });
        assert!(model.polls());
        assert_eq!(
            model.due_in(AT + 900_000, 300_000),
            300_000,
            "a failed refresh waits a whole period"
        );
        model.update(Msg::Hidden(true));
        assert!(!model.polls());
        assert_eq!(model.update(Msg::Due), Effect::None);
        model.update(Msg::Hidden(false));
        assert!(model.polls());
    }

    #[test]
    fn a_failed_first_load_shows_failure_until_the_news_comes() {
        let mut model = Model::new(Mode::List, false);
        model.update(Msg::LoadFailed);
        assert_eq!(model.phase, Phase::Failed);
        model.update(refreshed(&["a"]));
        assert_eq!(model.phase, Phase::Ready);
        model.update(Msg::LoadFailed);
        assert_eq!(model.phase, Phase::Ready, "shown news stays");
    }
}
