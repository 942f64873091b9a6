//! The two date types: a Gregorian (solar) date and a Vietnamese lunar date.

use crate::civil::days_in_month;

/// A date of the proleptic Gregorian calendar (dương lịch).
///
/// The fields are public and unchecked; every function of this crate that takes a
/// `SolarDate` refuses (returns `None` for) one that [`is_valid`](Self::is_valid) rejects.
/// Dates order chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SolarDate {
    /// The year, astronomical numbering (year 0 is 1 BC).
    pub year: i32,
    /// The month, 1 (January) to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl SolarDate {
    /// A date from its parts, unchecked (see [`is_valid`](Self::is_valid)).
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// Whether the date exists: month 1–12 and a day within that month (29 February only in
    /// leap years).
    pub const fn is_valid(self) -> bool {
        self.month >= 1
            && self.month <= 12
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }
}

/// A date of the Vietnamese lunar calendar (âm lịch).
///
/// `year` is the lunar year, which begins on Tết Nguyên Đán (lunar 1-1) and so runs from late
/// January or February of the Gregorian year of the same number into the next one. `month` is
/// 1–12; a leap month (tháng nhuận) repeats the number of the month before it and has
/// `leap = true`. `day` is 1–29 or 1–30 depending on the month.
///
/// No `Ord`: the derived field order would put leap month 4 before day 30 of month 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LunarDate {
    /// The lunar year (the Gregorian year in which its Tết falls).
    pub year: i32,
    /// The lunar month, 1 to 12.
    pub month: u8,
    /// The day of the lunar month, 1 to 30.
    pub day: u8,
    /// Whether this is the leap month that follows month `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A date in a regular (non-leap) month, unchecked.
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month,
            day,
            leap: false,
        }
    }

    /// A date in the leap month that follows month `month`, unchecked.
    pub const fn new_leap(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month,
            day,
            leap: true,
        }
    }
}
