//! Every word the countdown shows or announces, in Vietnamese and English (weekday and month
//! names are the browser's: `Intl`, in `clock.js`).

use crate::i18n::Lang;

/// The countdown's words in one language.
pub struct Words {
    /// Day, hour, minute, second: one, and several (Vietnamese has no plural), space-separated
    /// (the clock writes them: `digits` in `clock.js`).
    pub units: &'static str,
    /// Before the time of a moment that is not midnight.
    pub at_time: &'static str,
    /// A lunar date: "Mùng 1 Tết Đinh Mùi", "Mùng 10 tháng 3 năm Bính Ngọ", "Ngày 15 tháng 8…".
    pub early_day: &'static str,
    pub lunar_day: &'static str,
    pub lunar_month: &'static str,
    pub tet: &'static str,
    pub lunar_year: &'static str,
    /// Default titles: Tết, Giỗ Tổ Hùng Vương, Trung thu, 30/4, 2/9, anything else.
    pub titles: [&'static str; 6],
    /// Default messages: on the day, on Tết, after a one-off moment.
    pub arrived: &'static str,
    pub happy_new_year: &'static str,
    pub passed: &'static str,
    /// The timer's name, before the date: counting down, counting up.
    pub until: &'static str,
    pub since: &'static str,
    /// The dismiss button's name.
    pub dismiss: &'static str,
}

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    lang.pick(&VI, &EN)
}

const VI: Words = Words {
    units: "ngày ngày giờ giờ phút phút giây giây",
    at_time: " lúc ",
    early_day: "Mùng ",
    lunar_day: "Ngày ",
    lunar_month: " tháng ",
    tet: " Tết ",
    lunar_year: " năm ",
    titles: [
        "Đếm ngược Tết",
        "Giỗ Tổ Hùng Vương",
        "Tết Trung thu",
        "Kỷ niệm 30/4",
        "Quốc khánh 2/9",
        "Đếm ngược",
    ],
    arrived: "Ngày này đã đến!",
    happy_new_year: "Chúc mừng năm mới!",
    passed: "Sự kiện đã diễn ra.",
    until: "Thời gian còn lại đến ",
    since: "Thời gian đã qua kể từ ",
    dismiss: "Ẩn",
};

const EN: Words = Words {
    units: "day days hour hours minute minutes second seconds",
    at_time: " at ",
    early_day: "Day ",
    lunar_day: "Day ",
    lunar_month: " of lunar month ",
    tet: " of Tết, year of ",
    lunar_year: ", year of ",
    titles: [
        "Countdown to Tết",
        "Hùng Kings' Commemoration",
        "Mid-Autumn Festival",
        "Reunification Day, 30 April",
        "National Day, 2 September",
        "Countdown",
    ],
    arrived: "The day is here!",
    happy_new_year: "Happy Lunar New Year!",
    passed: "This event has taken place.",
    until: "Time left until ",
    since: "Time since ",
    dismiss: "Dismiss",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_word() {
        for words in [&VI, &EN] {
            let units: Vec<_> = words.units.split(' ').collect();
            assert_eq!(
                units.len(),
                8,
                "one and several, for each of the four parts"
            );
            assert!(units.iter().all(|u| !u.is_empty()));
            assert!(words.titles.iter().all(|t| !t.is_empty()));
            assert!(!words.dismiss.is_empty());
        }
        assert!(VI.units.starts_with("ngày ngày "));
        assert!(EN.units.ends_with(" second seconds"));
    }
}
