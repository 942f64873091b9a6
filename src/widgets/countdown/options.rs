//! The options of `<bangtin-countdown>`, and the parsers of their values (dates, offsets,
//! durations, links) — by hand: no `core::fmt`, no regex, no `Date.parse` quirks.

use super::model::{After, DAY, HOUR, MINUTE, VIETNAM};
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

/// The number written by the ASCII digits `bytes` (all of them digits, 1 to 4).
fn number(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let mut n = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(b - b'0');
    }
    Some(n)
}

/// Two digits, a separator `sep`, two digits ("04-30", "07:00"), as two numbers.
fn pair(bytes: &[u8], sep: u8) -> Option<(i64, i64)> {
    match bytes {
        [a, b, s, c, d] if *s == sep => Some((number(&[*a, *b])?, number(&[*c, *d])?)),
        _ => None,
    }
}

/// `+HH:MM`, `-HH:MM` or `Z`, in minutes (at most 14 hours either way).
fn parse_offset(raw: &[u8]) -> Option<i32> {
    let (sign, rest) = match raw {
        [b'Z' | b'z'] => return Some(0),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        _ => return None,
    };
    let (h, m) = pair(rest, b':')?;
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
    fn parse(raw: &str) -> Option<Self> {
        // YYYY-MM-DDTHH:MM, then :SS, then the offset (none: Vietnam time).
        let raw = raw.as_bytes();
        let (date, rest) = (raw.get(..10)?, raw.get(10..)?);
        let year = number(date.get(..4)?)?;
        let (month, day) = pair(date.get(5..)?, b'-')?;
        if date.get(4) != Some(&b'-') || !matches!(rest.first(), Some(b'T' | b't' | b' ')) {
            return None;
        }
        let (hour, minute) = pair(rest.get(1..6)?, b':')?;
        let (second, offset) = match rest.get(6..)? {
            [b':', a, b, offset @ ..] => (number(&[*a, *b])?, offset),
            offset => (0, offset),
        };
        let offset = if offset.is_empty() {
            VIETNAM
        } else {
            parse_offset(offset)?
        };
        let date = SolarDate::new(year as i32, month as u8, day as u8);
        if !(1900..=2199).contains(&year)
            || month > 12
            || day > 31
            || hour > 23
            || minute > 59
            || second > 59
            || !date.is_valid()
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
        let (month, day) = pair(raw.as_bytes(), b'-')?;
        // Every day that some year has (29 February, lunar 30th).
        let valid = SolarDate::new(2000, month as u8, day as u8).is_valid()
            || (1..=12).contains(&month) && day == 30;
        (month <= 12 && day <= 31 && valid).then_some(MonthDay(month as u8, day as u8))
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
        let unit = match raw.as_bytes().last()? {
            b'd' => DAY,
            b'h' => HOUR,
            b'm' => MINUTE,
            _ => return None,
        };
        let ms = number(raw.as_bytes().get(..raw.len() - 1)?)? * unit;
        (ms <= 30 * DAY).then_some(Window(ms))
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
        ((1..=600).contains(&raw.len()) && !raw.chars().any(char::is_control))
            .then(|| Text(raw.into()))
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
