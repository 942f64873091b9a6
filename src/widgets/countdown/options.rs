//! The options of `<bangtin-countdown>`, and the parsers of their values (dates, offsets,
//! durations, links) — by hand: no `core::fmt`, no regex, no `Date.parse` quirks.

use super::model::{After, DAY, HOUR, MAX_WINDOW, MINUTE, VIETNAM};
use crate::config::OptValue;
use crate::i18n::Lang;
use alloc::string::String;
use bangtin_lunar::{days_from_civil, SolarDate};

crate::widget_options! {
    /// Options of `<bangtin-countdown>`, as attributes or in `bangtin('mount', element, {…})`.
    pub struct CountdownOptions for "countdown" {
        /// One moment, with its offset from UTC: `2027-04-30T00:00:00+07:00` (without an offset: Vietnam time). One of `to`, `every`, `lunar` is needed; `to` wins, then `lunar`.
        to: Option<Moment> = None,
        /// A day every year (month-day), from midnight at `tz`: `04-30`, `09-02`.
        every: Option<MonthDay> = None,
        /// A day every year on the Vietnamese lunar calendar (month-day, regular month; midnight in Vietnam): `01-01` Tết, `03-10` Giỗ Tổ Hùng Vương, `08-15` Trung thu.
        lunar: Option<MonthDay> = None,
        /// The offset from UTC of `every`'s days.
        tz: Offset = Offset(VIETNAM),
        /// The banner's title. Default: by the target ("Đếm ngược Tết", "Kỷ niệm 30/4", "Đếm ngược"…).
        title: Text = Text(String::new()),
        /// Makes the title a link.
        href: Link = Link(String::new()),
        /// An image shown beside the title (decorative: the title says what it is).
        image: Link = Link(String::new()),
        /// What shows when the moment has come (and, with `after="message"`, after a one-off moment). Default: "Ngày này đã đến!", on Tết "Chúc mừng năm mới!".
        message: Text = Text(String::new()),
        /// How long the message shows from the moment (`2d`, `12h`, `30m`, `0`), before a yearly target counts to its next year.
        window: Window = Window(DAY),
        /// What a one-off moment (`to`) shows once its window is over: its message, nothing, or the time since.
        after: After = After::Message,
        /// Names the banner for the reader's "dismiss", remembered in localStorage. Default: the target.
        id: Text = Text(String::new()),
        /// A new version of a banner shows again to readers who dismissed an older one.
        version: Text = Text(String::new()),
        /// Language of the widget. Default: the loader's `data-lang`, else the page's `<html lang>`.
        lang: Option<Lang> = None,
    }
}

/// Reads `raw` against `shape`, byte by byte: a `0` of `shape` is a digit of the current
/// number, any other byte is itself (`T` also `t` or a space) and starts the next number.
/// The numbers (up to six, the others 0) and what follows; `None` if `raw` is shorter or does
/// not match. One loop for every format here: dates, times, offsets, durations.
fn read<'a>(raw: &'a [u8], shape: &[u8]) -> Option<([i64; 6], &'a [u8])> {
    let mut numbers = [0; 6];
    let mut k = 0;
    for (&want, &b) in shape.iter().zip(raw) {
        if want == b'0' && b.is_ascii_digit() {
            let n = numbers.get_mut(k)?;
            *n = *n * 10 + i64::from(b - b'0');
        } else if want != b'0' && (b == want || want == b'T' && matches!(b, b't' | b' ')) {
            k += 1;
        } else {
            return None;
        }
    }
    Some((numbers, raw.get(shape.len()..)?))
}

/// `+HH:MM`, `-HH:MM` or `Z`, in minutes (at most 14 hours either way).
fn parse_offset(raw: &[u8]) -> Option<i32> {
    let (sign, rest) = match raw {
        [b'Z' | b'z'] => return Some(0),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        _ => return None,
    };
    let ([h, m, ..], []) = read(rest, b"00:00")? else {
        return None;
    };
    let minutes = h * 60 + m;
    (m < 60 && minutes <= 14 * 60).then_some(sign * minutes as i32)
}

/// A moment with its offset from UTC (minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    pub at: i64,
    pub offset: i32,
}

impl OptValue for Moment {
    const TYPE: &'static str = "date-time";
    const ALLOWED: &'static str = "like 2027-04-30T00:00:00+07:00";
    #[inline(never)]
    #[allow(
        clippy::manual_range_contains,
        reason = "RangeInclusive::contains is a function of its own in the wasm: 158 bytes"
    )]
    fn parse(raw: &str) -> Option<Self> {
        // YYYY-MM-DDTHH:MM, then :SS, then the offset (none: Vietnam time).
        let raw = raw.as_bytes();
        let shape: &[u8] = if raw.get(16) == Some(&b':') {
            b"0000-00-00T00:00:00"
        } else {
            b"0000-00-00T00:00"
        };
        let ([year, month, day, hour, minute, second], offset) = read(raw, shape)?;
        let offset = if offset.is_empty() {
            VIETNAM
        } else {
            parse_offset(offset)?
        };
        // Two digits each: month and day fit in u8; `is_valid` checks them.
        let date = SolarDate::new(year as i32, month as u8, day as u8);
        if year < 1900 || year > 2199 || hour > 23 || minute > 59 || second > 59 || !date.is_valid()
        {
            return None;
        }
        let at = days_from_civil(date) * DAY + hour * HOUR + minute * MINUTE + second * 1_000
            - i64::from(offset) * MINUTE;
        Some(Moment { at, offset })
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// A month and a day, `MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay(pub u8, pub u8);

impl OptValue for MonthDay {
    const TYPE: &'static str = "month-day";
    const ALLOWED: &'static str = "like 04-30";
    #[inline(never)]
    fn parse(raw: &str) -> Option<Self> {
        let ([month, day, ..], []) = read(raw.as_bytes(), b"00-00")? else {
            return None;
        };
        let (month, day) = (month as u8, day as u8);
        // Every day that some year has (29 February, lunar 30th).
        let valid = SolarDate::new(2000, month, day).is_valid() || month > 0 && day == 30;
        (month <= 12 && valid).then_some(MonthDay(month, day))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// An offset from UTC, in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offset(pub i32);

impl OptValue for Offset {
    const TYPE: &'static str = "UTC offset";
    const ALLOWED: &'static str = "like +07:00";
    fn parse(raw: &str) -> Option<Self> {
        parse_offset(raw.as_bytes()).map(Offset)
    }
    fn show(&self) -> &'static str {
        "+07:00"
    }
}

/// A duration in ms: `2d`, `12h`, `30m`, or `0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window(pub i64);

impl OptValue for Window {
    const TYPE: &'static str = "duration";
    const ALLOWED: &'static str = "like 1d, 12h, 30m (at most 30d) or 0";
    fn parse(raw: &str) -> Option<Self> {
        if raw == "0" {
            return Some(Window(0));
        }
        let (unit, digits) = raw.as_bytes().split_last()?;
        let unit = match unit {
            b'd' => DAY,
            b'h' => HOUR,
            b'm' => MINUTE,
            _ => return None,
        };
        if digits.is_empty() {
            return None;
        }
        let ([n, ..], []) = read(digits, b"0000".get(..digits.len())?)? else {
            return None;
        };
        let ms = n * unit;
        (ms <= MAX_WINDOW).then_some(Window(ms))
    }
    fn show(&self) -> &'static str {
        "1d"
    }
}

impl OptValue for After {
    const TYPE: &'static str = "enum";
    const ALLOWED: &'static str = "\"message\", \"hide\" or \"count-up\"";
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "message" => Some(After::Message),
            "hide" => Some(After::Hide),
            "count-up" => Some(After::CountUp),
            _ => None,
        }
    }
    fn show(&self) -> &'static str {
        match self {
            After::Message => "message",
            After::Hide => "hide",
            After::CountUp => "count-up",
        }
    }
}

/// Text a page writes: 1 to 600 bytes (200 Vietnamese letters), no control characters. Empty:
/// not given (the default; an empty attribute is refused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text(pub String);

impl OptValue for Text {
    const TYPE: &'static str = "string";
    const ALLOWED: &'static str = "1 to 600 bytes, no control characters";
    #[inline(never)]
    fn parse(raw: &str) -> Option<Self> {
        // The control characters are U+0000–U+001F and U+007F–U+009F: in UTF-8, those bytes
        // and 0xC2 0x80–0x9F (bytes, not chars: no UTF-8 decoder for this).
        let mut before = 0;
        for b in raw.bytes() {
            if b < b' ' || b == 0x7f || before == 0xc2 && b < 0xa0 {
                return None;
            }
            before = b;
        }
        (!raw.is_empty() && raw.len() <= 600).then(|| Text(raw.into()))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// An `http(s)` URL, or a path on the page's own site (`/…`): never `javascript:` or `data:`.
/// Empty: not given (the default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link(pub String);

impl OptValue for Link {
    const TYPE: &'static str = "URL";
    const ALLOWED: &'static str = "an http(s) URL or a /path";
    #[inline(never)]
    fn parse(raw: &str) -> Option<Self> {
        let starts = |with: &str| {
            raw.get(..with.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(with))
        };
        let web = starts("https://") || starts("http://") || (starts("/") && !starts("//"));
        (web && raw.len() <= 2048 && !raw.bytes().any(|b| b <= b' ' || b == 0x7f))
            .then(|| Link(raw.into()))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::Options;

    #[test]
    fn a_moment_is_read_with_its_offset() {
        let vn = Moment::parse("2027-04-30T00:00:00+07:00").unwrap();
        assert_eq!(vn.offset, 420);
        assert_eq!(vn.at, 1_809_018_000_000, "2027-04-29T17:00:00Z");
        let utc = Moment::parse("2027-04-29T17:00:00Z").unwrap();
        assert_eq!(utc.at, vn.at);
        assert_eq!(Moment::parse("2027-04-29T12:30-04:30").unwrap().at, vn.at);
        // No offset: Vietnam time.
        assert_eq!(Moment::parse("2027-04-30T00:00").unwrap(), vn);
        for bad in [
            "2027-04-30",
            "2027-02-29T00:00:00Z",
            "2027-13-01T00:00:00Z",
            "2027-04-30T24:00:00Z",
            "2027-04-30T00:00:00+15:00",
            "2027-04-30T00:00:00+7",
            "1800-01-01T00:00:00Z",
            "tomorrow",
            "",
        ] {
            assert_eq!(Moment::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn month_days_offsets_and_windows() {
        assert_eq!(MonthDay::parse("04-30"), Some(MonthDay(4, 30)));
        assert_eq!(MonthDay::parse("02-29"), Some(MonthDay(2, 29)));
        assert_eq!(
            MonthDay::parse("02-30"),
            Some(MonthDay(2, 30)),
            "a lunar 30th"
        );
        for bad in ["13-01", "04-31x", "4/30", "00-10", "01-00", "04-32", "-"] {
            assert_eq!(MonthDay::parse(bad), None, "{bad}");
        }
        assert_eq!(Offset::parse("+07:00"), Some(Offset(420)));
        assert_eq!(Offset::parse("-03:30"), Some(Offset(-210)));
        assert_eq!(Offset::parse("07:00"), None);
        assert_eq!(Window::parse("2d"), Some(Window(2 * DAY)));
        assert_eq!(Window::parse("12h"), Some(Window(12 * HOUR)));
        assert_eq!(Window::parse("0"), Some(Window(0)));
        assert_eq!(Window::parse("31d"), None);
        assert_eq!(Window::parse("d"), None);
    }

    #[test]
    fn links_are_http_or_the_sites_own_paths_and_texts_have_no_control_characters() {
        assert!(Link::parse("https://bao.vn/tet").is_some());
        assert!(Link::parse("HTTP://bao.vn").is_some());
        assert!(Link::parse("/tet-2027").is_some());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "tet",
            "",
        ] {
            assert_eq!(Link::parse(bad), None, "{bad}");
        }
        assert!(Text::parse("Đếm ngược Tết").is_some());
        assert!(Text::parse("a\nb").is_none());
        assert!(Text::parse("a\u{85}b").is_none(), "C1 controls too");
        assert!(Text::parse("a\u{7f}").is_none());
        assert!(
            Text::parse("Tết \u{a0}Đinh Mùi").is_some(),
            "U+00A0 is not a control"
        );
        assert!(Text::parse("").is_none());
    }

    #[test]
    fn options_table_lists_every_option_and_bad_values_keep_the_default() {
        let spec = CountdownOptions::spec();
        let names: Vec<_> = spec.iter().map(|row| row.name).collect();
        assert_eq!(
            names,
            [
                "to", "every", "lunar", "tz", "title", "href", "image", "message", "window",
                "after", "id", "version", "lang"
            ]
        );
        let mut options = CountdownOptions::default();
        assert!(options.set("after", "explode").is_err());
        assert_eq!(options.after, After::Message);
        assert_eq!(options.set("lunar", "08-15"), Ok(()));
        assert_eq!(options.lunar, Some(MonthDay(8, 15)));
        assert!(options.set("href", "javascript:void(0)").is_err());
        assert_eq!(options.href, Link(String::new()), "not given");
    }
}
