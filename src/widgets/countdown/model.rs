//! The countdown's arithmetic and labels — plain Rust, no DOM, tested natively.
//!
//! Everything is computed from one absolute time (milliseconds since the epoch, already
//! corrected with the server's clock): what to show is a function of `now`, never of how many
//! ticks came before, so a late timer or a tab hidden for an hour cannot make it drift.

use super::words::words;
use crate::i18n::Lang;
use alloc::string::String;
use bangtin_api::push_decimal;
use bangtin_lunar::{can_chi_year, days_from_civil, lunar_day_in_year, SolarDate};

pub const SECOND: i64 = 1_000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
/// The longest on-day window (`window="30d"`).
pub const MAX_WINDOW: i64 = 30 * DAY;
/// The latest moment a JavaScript `Date` can hold (8.64e15 ms, 275 760 years after 1970); the
/// earliest is its negative.
pub const MAX_NOW: i64 = 8_640_000_000_000_000;
/// Vietnam's offset from UTC, in minutes (UTC+7 all year).
pub const VIETNAM: i32 = 7 * 60;

/// What the banner counts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One moment (ms since the epoch), written with an offset from UTC (minutes).
    Once { at: i64, offset: i32 },
    /// Every year on this Gregorian month-day, from 00:00 at `offset` (minutes from UTC).
    Solar { month: u8, day: u8, offset: i32 },
    /// Every year on this day of the regular lunar month, from 00:00 Vietnam time.
    Lunar { month: u8, day: u8 },
}

/// What happens once a one-off target has passed (and its on-day window with it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum After {
    /// Its message stays.
    #[default]
    Message,
    /// The banner goes away.
    Hide,
    /// The clock counts the time since.
    CountUp,
}

/// What the banner shows at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Counting down to the moment `at`.
    Before { at: i64 },
    /// The moment `at` has come and its window lasts: the message shows.
    OnDay { at: i64 },
    /// A one-off moment `at` is over: `after` says what shows.
    Over { at: i64 },
    /// Nothing to count to (a date past the calendar's last year).
    None,
}

impl Phase {
    /// The moment the phase is about.
    pub fn at(self) -> Option<i64> {
        match self {
            Phase::Before { at } | Phase::OnDay { at } | Phase::Over { at } => Some(at),
            Phase::None => None,
        }
    }
}

/// The day number (days since 1970-01-01) of the local date of `ms` at `offset` minutes.
pub fn local_day(ms: i64, offset: i32) -> i64 {
    (ms + i64::from(offset) * MINUTE).div_euclid(DAY)
}

/// The Gregorian year of day number `day`, or the year before, never after: where a search by
/// year starts. (400 Gregorian years have 146 097 days; the exact year, `civil_from_days`,
/// costs the wasm more than the one more year searched.)
pub fn year_about(day: i64) -> i32 {
    ((day - 1) * 400).div_euclid(146_097) as i32 + 1970
}

/// The moment local midnight starts day number `day` at `offset`.
fn midnight(day: i64, offset: i32) -> i64 {
    day * DAY - i64::from(offset) * MINUTE
}

impl Target {
    /// The offset the target's days are reckoned in.
    pub fn offset(self) -> i32 {
        match self {
            Target::Once { offset, .. } | Target::Solar { offset, .. } => offset,
            Target::Lunar { .. } => VIETNAM,
        }
    }

    /// The day number of the local date of `at`, in the target's offset: the day its label names.
    pub fn day_of(self, at: i64) -> i64 {
        local_day(at, self.offset())
    }

    /// The first moment of the target at or after `after`: a yearly target's next day (its
    /// local midnight), a one-off target's moment if it is not before `after`.
    pub fn first_from(self, after: i64) -> Option<i64> {
        let (month, day) = match self {
            Target::Once { at, .. } => return (at >= after).then_some(at),
            Target::Solar { month, day, .. } | Target::Lunar { month, day } => (month, day),
        };
        let offset = self.offset();
        let year = year_about(local_day(after, offset));
        // From the year before: a lunar year's last months fall in the next Gregorian year.
        // 29 February waits for a leap year, at most eight years away (and `year` may be the
        // year before).
        (year - 1..year + 10).find_map(|year| {
            let date = SolarDate::new(year, month, day);
            let n = match self {
                Target::Lunar { .. } => lunar_day_in_year(year, month, day)?,
                _ if date.is_valid() => days_from_civil(date),
                _ => return None,
            };
            let start = midnight(n, offset);
            (start >= after).then_some(start)
        })
    }

    /// What shows at `now`, with the on-day window `window` (ms; 0: none, at most
    /// [`MAX_WINDOW`]); `now` within JavaScript's dates ([`MAX_NOW`] either way), so that
    /// nothing here can overflow.
    pub fn phase(self, now: i64, window: i64) -> Phase {
        if let Target::Once { at, .. } = self {
            return if now < at {
                Phase::Before { at }
            } else if now < at + window {
                Phase::OnDay { at }
            } else {
                Phase::Over { at }
            };
        }
        // The first occurrence whose window has not ended: on its day, or still to come.
        match self.first_from(now - window + 1) {
            Some(at) if at <= now => Phase::OnDay { at },
            Some(at) => Phase::Before { at },
            None => Phase::None,
        }
    }
}

/// Whole seconds left until `at`, rounded up (the display reaches 0 exactly at `at`); never
/// negative.
pub fn seconds_left(at: i64, now: i64) -> u64 {
    u64::try_from((at - now + SECOND - 1).div_euclid(SECOND)).unwrap_or(0)
}

/// Whole seconds since `at`; never negative.
pub fn seconds_since(at: i64, now: i64) -> u64 {
    u64::try_from((now - at).div_euclid(SECOND)).unwrap_or(0)
}

/// The countdown's settings: what it counts to, how long the moment's message shows, and what
/// a one-off moment leaves behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Model {
    pub target: Target,
    pub window: i64,
    pub after: After,
}

/// `n` in decimal, at least two digits ("05").
#[allow(
    clippy::single_char_add_str,
    reason = "String::push's UTF-8 encoder costs the wasm more than a one-byte push_str"
)]
pub fn two_digits(n: u64) -> String {
    let mut out = String::new();
    if n < 10 {
        out.push_str("0");
    }
    push_decimal(&mut out, n);
    out
}

/// The moment `at` of `target` as a reader reads it, around `solar`, its day's date as the
/// browser writes it (`Intl`, see `clock.js`: "Thứ Sáu, 30/4/2027", "Friday, 30 April 2027",
/// for the day number [`Target::day_of`]): with the time when it is not midnight, and for a lunar
/// target its lunar day and can-chi year first: "Mùng 1 Tết Đinh Mùi (Thứ Bảy, 6/2/2027)".
#[allow(
    clippy::single_char_add_str,
    reason = "String::push's UTF-8 encoder costs the wasm more than a one-byte push_str"
)]
pub fn date_label(lang: Lang, target: Target, at: i64, solar: &str) -> String {
    let words = words(lang);
    let offset = target.offset();
    let mut out = String::new();
    if let Target::Lunar { month, day } = target {
        // `at` is an occurrence (see `first_from`) of the lunar year that began in its
        // Gregorian year or the year before: one of the three years around `year_about`'s.
        // Its lunar day is `day`, or the month's last if shorter: counted from the month's first.
        let n = target.day_of(at);
        let last = year_about(n) + 1;
        let mut year = last - 2;
        while year <= last && !matches!(lunar_day_in_year(year, month, day), Some(d) if d == n) {
            year += 1;
        }
        if let (true, Some(first)) = (year <= last, lunar_day_in_year(year, month, 1)) {
            let day = (n - first + 1) as u64;
            let (can, chi) = can_chi_year(year);
            let tet = month == 1 && day <= 3;
            out.push_str(if day <= 10 {
                words.early_day
            } else {
                words.lunar_day
            });
            push_decimal(&mut out, day);
            if !tet {
                out.push_str(words.lunar_month);
                push_decimal(&mut out, u64::from(month));
            }
            out.push_str(if tet { words.tet } else { words.lunar_year });
            out.push_str(can);
            out.push_str(" ");
            out.push_str(chi);
            out.push_str(" (");
            out.push_str(solar);
            out.push_str(")");
            return out;
        }
    }
    out.push_str(solar);
    let time = (at + i64::from(offset) * MINUTE).rem_euclid(DAY);
    if time != 0 {
        out.push_str(words.at_time);
        push_decimal(&mut out, (time / HOUR) as u64);
        out.push_str(":");
        out.push_str(&two_digits((time / MINUTE % 60) as u64));
    }
    out
}

/// The title when the page gives none: by the target ("Đếm ngược Tết", "Kỷ niệm 30/4"…).
pub fn default_title(lang: Lang, target: Target) -> &'static str {
    let words = words(lang);
    let known = match target {
        Target::Lunar { month: 1, day: 1 } => 0,
        Target::Lunar { month: 3, day: 10 } => 1,
        Target::Lunar { month: 8, day: 15 } => 2,
        Target::Solar {
            month: 4, day: 30, ..
        } => 3,
        Target::Solar {
            month: 9, day: 2, ..
        } => 4,
        _ => 5,
    };
    words.titles[known]
}

/// The message when the page gives none: Tết has its own wish.
pub fn default_message(lang: Lang, target: Target, phase: Phase) -> &'static str {
    let words = words(lang);
    match (target, phase) {
        (_, Phase::Over { .. }) => words.passed,
        (Target::Lunar { month: 1, day: 1 }, _) => words.happy_new_year,
        _ => words.arrived,
    }
}

/// The timer's accessible name: what it counts to, and when (`date`, its [`date_label`]).
/// Static while the phase lasts.
pub fn timer_label(lang: Lang, phase: Phase, date: &str) -> String {
    let words = words(lang);
    let mut out = String::from(match phase {
        Phase::Over { .. } => words.since,
        _ => words.until,
    });
    out.push_str(date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bangtin_lunar::civil_from_days;

    #[test]
    fn the_year_about_a_day_is_its_year_or_the_one_before() {
        // 400 years repeat the Gregorian calendar: these cover every case.
        for day in
            days_from_civil(SolarDate::new(1600, 1, 1))..days_from_civil(SolarDate::new(2400, 1, 1))
        {
            let year = civil_from_days(day).year;
            let about = year_about(day);
            assert!(
                about == year || about == year - 1,
                "day {day}: {about} for {year}"
            );
        }
    }

    /// `Y-M-D h:m` at `offset` minutes, in ms since the epoch.
    fn at(y: i32, m: u8, d: u8, h: i64, min: i64, offset: i32) -> i64 {
        midnight(days_from_civil(SolarDate::new(y, m, d)), offset) + h * HOUR + min * MINUTE
    }

    fn vn(y: i32, m: u8, d: u8, h: i64, min: i64) -> i64 {
        at(y, m, d, h, min, VIETNAM)
    }

    const APRIL_30: Target = Target::Solar {
        month: 4,
        day: 30,
        offset: VIETNAM,
    };
    const TET: Target = Target::Lunar { month: 1, day: 1 };

    // The split into days, hours, minutes and seconds is `digits` in `clock.js`: see
    // `tests.rs`, `the_clock_splits_a_duration_into_days_hours_minutes_seconds`.

    #[test]
    fn the_remaining_seconds_round_up_and_are_never_negative() {
        let target = vn(2027, 4, 30, 0, 0);
        assert_eq!(seconds_left(target, target - 1), 1);
        assert_eq!(seconds_left(target, target - 1_000), 1);
        assert_eq!(seconds_left(target, target - 1_001), 2);
        assert_eq!(seconds_left(target, target), 0);
        assert_eq!(seconds_left(target, target + 5 * DAY), 0);
        assert_eq!(seconds_since(target, target - 1), 0);
        assert_eq!(seconds_since(target, target + 61_500), 61);
    }

    #[test]
    fn a_yearly_date_counts_to_this_years_day_then_next_years_across_the_new_year() {
        // 29 April, 23:59:59 in Vietnam: one second left.
        let now = vn(2027, 4, 29, 23, 59) + 59 * SECOND;
        assert_eq!(
            APRIL_30.phase(now, DAY),
            Phase::Before {
                at: vn(2027, 4, 30, 0, 0)
            }
        );
        // 31 December: next year's.
        let now = vn(2027, 12, 31, 23, 0);
        assert_eq!(
            APRIL_30.phase(now, DAY),
            Phase::Before {
                at: vn(2028, 4, 30, 0, 0)
            }
        );
        let new_year = Target::Solar {
            month: 1,
            day: 1,
            offset: VIETNAM,
        };
        let now = vn(2027, 12, 31, 23, 59) + 59_999;
        assert_eq!(
            new_year.phase(now, DAY),
            Phase::Before {
                at: vn(2028, 1, 1, 0, 0)
            }
        );
        assert_eq!(seconds_left(vn(2028, 1, 1, 0, 0), now), 1);
        // On 1 January Vietnam time it is still 31 December in UTC: already the day.
        let now = vn(2028, 1, 1, 3, 0);
        assert_eq!(
            new_year.phase(now, DAY),
            Phase::OnDay {
                at: vn(2028, 1, 1, 0, 0)
            }
        );
    }

    #[test]
    fn the_day_itself_shows_the_message_for_its_window_then_counts_to_next_year() {
        let day = vn(2027, 4, 30, 0, 0);
        assert_eq!(APRIL_30.phase(day, DAY), Phase::OnDay { at: day });
        assert_eq!(APRIL_30.phase(day + DAY - 1, DAY), Phase::OnDay { at: day });
        let next = vn(2028, 4, 30, 0, 0);
        assert_eq!(APRIL_30.phase(day + DAY, DAY), Phase::Before { at: next });
        // A six-hour window ends at 06:00; no window: straight to next year.
        assert_eq!(
            APRIL_30.phase(day + 5 * HOUR, 6 * HOUR),
            Phase::OnDay { at: day }
        );
        assert_eq!(
            APRIL_30.phase(day + 6 * HOUR, 6 * HOUR),
            Phase::Before { at: next }
        );
        assert_eq!(APRIL_30.phase(day, 0), Phase::Before { at: next });
        // A three-day window reaches into 2 May.
        assert_eq!(
            APRIL_30.phase(vn(2027, 5, 2, 23, 0), 3 * DAY),
            Phase::OnDay { at: day }
        );
    }

    #[test]
    fn offsets_other_than_vietnams_move_the_moment() {
        let paris = Target::Solar {
            month: 4,
            day: 30,
            offset: 120,
        };
        let new_york = Target::Solar {
            month: 4,
            day: 30,
            offset: -240,
        };
        let now = vn(2027, 4, 1, 0, 0);
        assert_eq!(
            paris.phase(now, DAY),
            Phase::Before {
                at: at(2027, 4, 30, 0, 0, 120)
            }
        );
        assert_eq!(at(2027, 4, 30, 0, 0, 120) - vn(2027, 4, 30, 0, 0), 5 * HOUR);
        // 30 April 02:00 in Vietnam is 29 April 15:00 in New York: still counting there.
        let now = vn(2027, 4, 30, 2, 0);
        assert!(matches!(APRIL_30.phase(now, DAY), Phase::OnDay { .. }));
        assert_eq!(
            new_york.phase(now, DAY),
            Phase::Before {
                at: at(2027, 4, 30, 0, 0, -240)
            }
        );
        // Half-hour offsets.
        let india = Target::Solar {
            month: 1,
            day: 26,
            offset: 330,
        };
        assert_eq!(
            india.first_from(vn(2027, 1, 1, 0, 0)),
            Some(at(2027, 1, 26, 0, 0, 330))
        );
    }

    #[test]
    fn the_29th_of_february_waits_for_a_leap_year() {
        let leap = Target::Solar {
            month: 2,
            day: 29,
            offset: VIETNAM,
        };
        assert_eq!(
            leap.phase(vn(2027, 3, 1, 0, 0), DAY),
            Phase::Before {
                at: vn(2028, 2, 29, 0, 0)
            }
        );
        assert_eq!(
            leap.phase(vn(2028, 3, 1, 0, 0), DAY),
            Phase::Before {
                at: vn(2032, 2, 29, 0, 0)
            }
        );
    }

    #[test]
    fn a_one_off_moment_counts_down_shows_its_window_then_is_over() {
        let moment = at(2027, 4, 30, 20, 0, VIETNAM);
        let once = Target::Once {
            at: moment,
            offset: VIETNAM,
        };
        assert_eq!(once.phase(moment - 1, HOUR), Phase::Before { at: moment });
        assert_eq!(once.phase(moment, HOUR), Phase::OnDay { at: moment });
        assert_eq!(once.phase(moment + HOUR, HOUR), Phase::Over { at: moment });
        assert_eq!(once.phase(moment, 0), Phase::Over { at: moment });
    }

    #[test]
    fn tet_is_found_on_the_vietnamese_calendar_across_lunar_years() {
        // Tết Đinh Mùi: 6 February 2027.
        let now = vn(2026, 11, 28, 9, 0);
        assert_eq!(
            TET.phase(now, DAY),
            Phase::Before {
                at: vn(2027, 2, 6, 0, 0)
            }
        );
        // Mùng 1 itself, then the next Tết (Mậu Thân, 26 January 2028).
        assert_eq!(
            TET.phase(vn(2027, 2, 6, 12, 0), DAY),
            Phase::OnDay {
                at: vn(2027, 2, 6, 0, 0)
            }
        );
        assert_eq!(
            TET.phase(vn(2027, 2, 7, 0, 0), DAY),
            Phase::Before {
                at: vn(2028, 1, 26, 0, 0)
            }
        );
        // The three days of Tết as the window.
        assert_eq!(
            TET.phase(vn(2027, 2, 8, 23, 0), 3 * DAY),
            Phase::OnDay {
                at: vn(2027, 2, 6, 0, 0)
            }
        );
        // 1985: 21 January in Vietnam (China's calendar had 20 February).
        assert_eq!(
            TET.first_from(vn(1984, 12, 1, 0, 0)),
            Some(vn(1985, 1, 21, 0, 0))
        );
        // Tết in UTC is the evening before (17:00 UTC): the day is reckoned in Vietnam.
        assert_eq!(vn(2027, 2, 6, 0, 0), at(2027, 2, 5, 17, 0, 0));
    }

    #[test]
    fn a_lunar_date_after_a_leap_month_is_found_in_the_regular_month() {
        // 2025 (Ất Tỵ) has a leap 6th month: Trung thu (8-15) is on 6 October 2025, not a
        // month earlier; 2023's leap 2nd month puts Giỗ Tổ (3-10) on 29 April 2023.
        let trung_thu = Target::Lunar { month: 8, day: 15 };
        assert_eq!(
            trung_thu.first_from(vn(2025, 7, 1, 0, 0)),
            Some(vn(2025, 10, 6, 0, 0))
        );
        let gio_to = Target::Lunar { month: 3, day: 10 };
        assert_eq!(
            gio_to.first_from(vn(2023, 1, 1, 0, 0)),
            Some(vn(2023, 4, 29, 0, 0))
        );
        // Leap 6th month of 2025 begins on 25 July: day 15 of it is not Trung thu, and a
        // target of 6-15 means the regular month's (9 July).
        let six_fifteen = Target::Lunar { month: 6, day: 15 };
        assert_eq!(
            six_fifteen.first_from(vn(2025, 7, 1, 0, 0)),
            Some(vn(2025, 7, 9, 0, 0))
        );
        assert_eq!(
            six_fifteen.first_from(vn(2025, 7, 10, 0, 0)),
            Some(vn(2026, 7, 28, 0, 0))
        );
    }

    #[test]
    fn beyond_the_calendar_there_is_nothing_to_count_to() {
        assert_eq!(TET.phase(vn(2200, 3, 1, 0, 0), DAY), Phase::None);
    }

    /// The day `at` falls on for `target`, as a date.
    fn day_of(target: Target, at: i64) -> SolarDate {
        civil_from_days(target.day_of(at))
    }

    // The solar date itself is the browser's (`Intl`): the browser tests (`tests.rs`) check the
    // whole labels, "Thứ Sáu, 30/4/2027" and "Friday, 30 April 2027" included. Here: which day
    // is named, and what goes around it ("S" stands for the browser's date).

    #[test]
    fn dates_name_the_local_day_and_the_time_when_it_is_not_midnight() {
        let day = vn(2027, 4, 30, 0, 0);
        assert_eq!(day_of(APRIL_30, day), SolarDate::new(2027, 4, 30));
        assert_eq!(date_label(Lang::Vi, APRIL_30, day, "S"), "S");
        assert_eq!(date_label(Lang::En, APRIL_30, day, "S"), "S");
        let once = Target::Once {
            at: day + 20 * HOUR + 5 * MINUTE,
            offset: VIETNAM,
        };
        assert_eq!(
            day_of(once, day + 20 * HOUR + 5 * MINUTE),
            SolarDate::new(2027, 4, 30)
        );
        assert_eq!(
            date_label(Lang::Vi, once, day + 20 * HOUR + 5 * MINUTE, "S"),
            "S lúc 20:05"
        );
        assert_eq!(
            date_label(Lang::En, once, day + 20 * HOUR + 5 * MINUTE, "S"),
            "S at 20:05"
        );
        // 30 April 2027, 00:00 in Vietnam is 29 April in UTC and in New York: still the 30th.
        let new_york = Target::Solar {
            month: 4,
            day: 30,
            offset: -240,
        };
        assert_eq!(
            day_of(new_york, at(2027, 4, 30, 0, 0, -240)),
            SolarDate::new(2027, 4, 30)
        );
        assert_eq!(
            day_of(APRIL_30, vn(2028, 4, 30, 0, 0)),
            SolarDate::new(2028, 4, 30)
        );
    }

    #[test]
    fn lunar_dates_name_the_lunar_day_and_the_can_chi_year() {
        let tet = vn(2027, 2, 6, 0, 0);
        assert_eq!(day_of(TET, tet), SolarDate::new(2027, 2, 6));
        assert_eq!(
            date_label(Lang::Vi, TET, tet, "S"),
            "Mùng 1 Tết Đinh Mùi (S)"
        );
        assert_eq!(
            date_label(Lang::En, TET, tet, "S"),
            "Day 1 of Tết, year of Đinh Mùi (S)"
        );
        let gio_to = Target::Lunar { month: 3, day: 10 };
        assert_eq!(
            day_of(gio_to, vn(2026, 4, 26, 0, 0)),
            SolarDate::new(2026, 4, 26)
        );
        assert_eq!(
            date_label(Lang::Vi, gio_to, vn(2026, 4, 26, 0, 0), "S"),
            "Mùng 10 tháng 3 năm Bính Ngọ (S)"
        );
        let trung_thu = Target::Lunar { month: 8, day: 15 };
        assert_eq!(
            date_label(Lang::Vi, trung_thu, vn(2026, 9, 25, 0, 0), "S"),
            "Ngày 15 tháng 8 năm Bính Ngọ (S)"
        );
        assert_eq!(
            date_label(Lang::En, trung_thu, vn(2026, 9, 25, 0, 0), "S"),
            "Day 15 of lunar month 8, year of Bính Ngọ (S)"
        );
    }

    #[test]
    fn titles_messages_and_the_timer_label_follow_the_target() {
        assert_eq!(default_title(Lang::Vi, TET), "Đếm ngược Tết");
        assert_eq!(default_title(Lang::Vi, APRIL_30), "Kỷ niệm 30/4");
        assert_eq!(
            default_title(Lang::En, APRIL_30),
            "Reunification Day, 30 April"
        );
        let at = vn(2027, 2, 6, 0, 0);
        assert_eq!(
            default_message(Lang::Vi, TET, Phase::OnDay { at }),
            "Chúc mừng năm mới!"
        );
        assert_eq!(
            timer_label(Lang::Vi, Phase::Before { at }, "Mùng 1 Tết Đinh Mùi (S)"),
            "Thời gian còn lại đến Mùng 1 Tết Đinh Mùi (S)"
        );
        assert_eq!(
            timer_label(Lang::En, Phase::Over { at }, "S"),
            "Time since S"
        );
    }

    #[test]
    fn numbers_are_written_without_formatting_machinery() {
        let mut out = String::new();
        push_decimal(&mut out, 0);
        out.push(' ');
        push_decimal(&mut out, 18_446_744_073_709_551_615);
        assert_eq!(out, "0 18446744073709551615");
        assert_eq!(two_digits(5), "05");
        assert_eq!(two_digits(59), "59");
        assert_eq!(two_digits(153), "153");
    }
}
