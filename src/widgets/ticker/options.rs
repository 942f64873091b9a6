//! The options of `<bangtin-ticker>`.

use super::model::Mode;
use crate::config::OptValue;
use crate::i18n::Lang;
use alloc::string::String;
use bangtin_api::ticker::valid_feed_name;

crate::widget_options! {
    /// Options of `<bangtin-ticker>`, as attributes or in `bangtin('mount', element, {…})`.
    pub struct TickerOptions for "ticker" {
        /// The feed to show, as named on the server (`tin-moi`, `the-thao`). Default: the site's main feed.
        feed: Option<Feed> = None,
        /// How many headlines to show.
        limit: Limit = Limit(10),
        /// A continuous marquee, one headline at a time, or a still list. Readers who ask for reduced motion always get the list.
        mode: Mode = Mode::Scroll,
        /// Marquee speed, in pixels per second.
        speed: Speed = Speed(60),
        /// Seconds each headline stays in fade mode.
        interval: Interval = Interval(5),
        /// The heading. Default: "Tin mới cập nhật" ("Latest news" in English).
        label: Option<Label> = None,
        /// Minutes an item keeps its "Mới" ("New") badge after it was published; 0 for no badge.
        new_minutes as "new-minutes": Fresh = Fresh(30),
        /// Seconds between refreshes (conditional requests; none while the tab is hidden).
        refresh: Refresh = Refresh(300),
        /// Language of the widget. Default: the loader's `data-lang`, else the page's `<html lang>`.
        lang: Option<Lang> = None,
    }
}

impl OptValue for Mode {
    const TYPE: &'static str = "enum";
    const ALLOWED: &'static str = "\"scroll\", \"fade\" or \"list\"";
    fn parse(raw: &str) -> Option<Self> {
        Mode::parse(raw)
    }
    fn show(&self) -> &'static str {
        self.as_str()
    }
}

/// A feed's name, as the server's configuration spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed(pub String);

impl OptValue for Feed {
    const TYPE: &'static str = "string";
    const ALLOWED: &'static str = "1 to 32 of a-z, 0-9 and -";
    fn parse(raw: &str) -> Option<Self> {
        valid_feed_name(raw).then(|| Feed(raw.into()))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// The ticker's heading, as the page writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label(pub String);

impl OptValue for Label {
    const TYPE: &'static str = "string";
    const ALLOWED: &'static str = "1 to 80 characters without control characters";
    /// Byte by byte (no UTF-8 decoding in the wasm): a character is a byte that does not
    /// continue one; the control characters are C0 and DEL (one byte) and C1 (`C2 80`–`C2 9F`).
    #[inline(never)]
    fn parse(raw: &str) -> Option<Self> {
        let bytes = raw.as_bytes();
        let chars = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        let control = bytes.iter().enumerate().any(|(i, &b)| {
            b < 0x20 || b == 0x7F || (b == 0xC2 && bytes.get(i + 1).is_some_and(|&n| n < 0xA0))
        });
        ((1..=80).contains(&chars) && !control).then(|| Label(raw.into()))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// A whole number from `min` to `max`, written plainly ("30", not "30.0" or "3e1"). Digit by
/// digit (`str::parse` costs the wasm several times this); it stops as soon as the number is
/// past `max`, so it cannot overflow.
#[inline(never)]
fn whole_in(raw: &str, min: u32, max: u32) -> Option<u32> {
    let mut n: u32 = 0;
    for b in raw.bytes() {
        if !b.is_ascii_digit() || n > max {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    (!raw.is_empty() && n >= min && n <= max).then_some(n)
}

/// Declares a whole-number option: its range, its default and how the docs say them.
macro_rules! whole_option {
    ($(#[$meta:meta])* $name:ident, $min:literal ..= $max:literal, default $default:literal, $allowed:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub u32);

        impl OptValue for $name {
            const TYPE: &'static str = "number";
            const ALLOWED: &'static str = $allowed;
            fn parse(raw: &str) -> Option<Self> {
                whole_in(raw, $min, $max).map($name)
            }
            /// (For the docs, which show only the default.)
            fn show(&self) -> &'static str {
                if self.0 == $default {
                    stringify!($default)
                } else {
                    ""
                }
            }
        }
    };
}

whole_option!(
    /// Headlines asked for.
    Limit, 1..=50, default 10, "1 to 50"
);
whole_option!(
    /// Marquee speed, pixels per second.
    Speed, 10..=400, default 60, "10 to 400"
);
whole_option!(
    /// Seconds per headline in fade mode.
    Interval, 2..=60, default 5, "2 to 60"
);
whole_option!(
    /// Minutes of the "Mới" badge.
    Fresh, 0..=1440, default 30, "0 to 1440"
);
whole_option!(
    /// Seconds between refreshes.
    Refresh, 5..=3600, default 300, "5 to 3600"
);

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::Options;

    #[test]
    fn options_table_lists_every_option_with_its_default() {
        let spec = TickerOptions::spec();
        let names: Vec<_> = spec.iter().map(|row| row.name).collect();
        assert_eq!(
            names,
            [
                "feed",
                "limit",
                "mode",
                "speed",
                "interval",
                "label",
                "new-minutes",
                "refresh",
                "lang"
            ]
        );
        let defaults: Vec<_> = spec.iter().map(|row| row.default).collect();
        assert_eq!(
            defaults,
            ["", "10", "scroll", "60", "5", "", "30", "300", ""]
        );
        assert_eq!(TickerOptions::NAMES[6], "new-minutes");
    }

    #[test]
    fn bad_option_values_keep_the_default_and_say_what_is_allowed() {
        let mut options = TickerOptions::default();
        assert_eq!(
            options.set("mode", "marquee"),
            Err("\"scroll\", \"fade\" or \"list\"")
        );
        assert_eq!(options.mode, Mode::Scroll);
        assert_eq!(options.set("mode", "fade"), Ok(()));
        assert_eq!(options.mode, Mode::Fade);
        for bad in [
            "0",
            "51",
            "-1",
            "1.5",
            "1e1",
            "+5",
            "",
            "ten",
            "99999999999",
        ] {
            assert_eq!(options.set("limit", bad), Err("1 to 50"), "{bad}");
        }
        assert_eq!(options.limit, Limit(10));
        assert_eq!(options.set("limit", "50"), Ok(()));
        assert_eq!(options.limit, Limit(50));
        assert_eq!(options.set("new-minutes", "0"), Ok(()));
        assert_eq!(options.new_minutes, Fresh(0));
        assert!(options.set("new_minutes", "5").is_err(), "one spelling");
        assert!(options.set("refresh", "4").is_err());
        assert_eq!(options.set("refresh", "5"), Ok(()));
        assert!(options.set("speed", "9").is_err());
        assert!(options.set("interval", "61").is_err());
        assert!(options.set("feed", "Thời-sự").is_err());
        assert!(options.set("feed", "tin moi").is_err());
        assert_eq!(options.set("feed", "the-thao"), Ok(()));
        assert_eq!(options.feed, Some(Feed("the-thao".into())));
        assert!(options.set("label", "a\u{7}b").is_err());
        assert!(options.set("label", "a\u{85}b").is_err(), "C1 controls too");
        assert!(options.set("label", "a\u{7f}").is_err());
        assert_eq!(
            options.set("label", &"ố".repeat(80)),
            Ok(()),
            "80 characters"
        );
        assert!(options.set("label", &"ố".repeat(81)).is_err());
        assert_eq!(
            options.set("label", "\u{a0}Tin\u{2028}"),
            Ok(()),
            "not controls"
        );
        assert!(options.set("label", &"x".repeat(81)).is_err());
        assert_eq!(options.set("label", "Tin nóng 24h"), Ok(()));
        assert_eq!(options.label, Some(Label("Tin nóng 24h".into())));
    }
}
