//! Gregorian calendar arithmetic, integers only.
//!
//! Day numbers count days since 1970-01-01 (the Unix epoch, day 0) in the proleptic Gregorian
//! calendar, as in Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms"
//! (<https://howardhinnant.github.io/date_algorithms.html>), whose `days_from_civil` and
//! `civil_from_days` these are.

use crate::date::SolarDate;

/// Days in a 400-year Gregorian era.
const DAYS_PER_ERA: i64 = 146_097;
/// Days from 0000-03-01 (the start of era 0 in Hinnant's shifted calendar) to 1970-01-01.
const EPOCH_SHIFT: i64 = 719_468;
/// `days_from_civil` of 1 January of year `i32::MIN`: the smallest day number whose date has a
/// year that fits in `i32`.
const MIN_DAYS: i64 = -784_353_015_833;
/// `days_from_civil` of 31 December of year `i32::MAX`.
const MAX_DAYS: i64 = 784_351_576_776;

/// Whether `year` is a Gregorian leap year.
pub(crate) const fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of `month` (1–12) in `year`; 0 for a month outside 1–12.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to `date` (negative before it), proleptic Gregorian.
///
/// The date is taken as given: a day past the end of its month simply counts on into the next
/// month (2023-02-30 gives the number of 2023-03-02); a month outside 1–12 gives an unspecified
/// number. Check [`SolarDate::is_valid`] first where that matters.
pub const fn days_from_civil(date: SolarDate) -> i64 {
    // Shift the year to start on 1 March so that the leap day is the last day of the year.
    let month = date.month as i64;
    let year = date.year as i64 - if month <= 2 { 1 } else { 0 };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + date.day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
}

/// The date `days` days after 1970-01-01 (before it if negative), proleptic Gregorian.
///
/// Exact for every day number whose year fits in `i32`; beyond that range the day number is
/// clamped to its ends (1 January of `i32::MIN`, 31 December of `i32::MAX`).
pub const fn civil_from_days(days: i64) -> SolarDate {
    let days = if days < MIN_DAYS {
        MIN_DAYS
    } else if days > MAX_DAYS {
        MAX_DAYS
    } else {
        days
    };
    let shifted = days + EPOCH_SHIFT;
    let era = shifted.div_euclid(DAYS_PER_ERA);
    let day_of_era = shifted - era * DAYS_PER_ERA;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    // In range by the clamp above.
    SolarDate {
        year: year as i32,
        month: month as u8,
        day: day as u8,
    }
}

/// The day of the week of `date`: 0 = Sunday (Chủ nhật), 1 = Monday (Thứ hai) … 6 = Saturday
/// (Thứ bảy). Like [`days_from_civil`], it takes the date as given.
pub const fn weekday(date: SolarDate) -> u8 {
    // 1970-01-01 was a Thursday.
    (days_from_civil(date) + 4).rem_euclid(7) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_limits_are_the_ends_of_the_i32_years() {
        assert_eq!(days_from_civil(SolarDate::new(i32::MIN, 1, 1)), MIN_DAYS);
        assert_eq!(days_from_civil(SolarDate::new(i32::MAX, 12, 31)), MAX_DAYS);
        assert_eq!(civil_from_days(MIN_DAYS), SolarDate::new(i32::MIN, 1, 1));
        assert_eq!(civil_from_days(MAX_DAYS), SolarDate::new(i32::MAX, 12, 31));
        assert_eq!(civil_from_days(i64::MAX), SolarDate::new(i32::MAX, 12, 31));
        assert_eq!(civil_from_days(i64::MIN), SolarDate::new(i32::MIN, 1, 1));
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2000, 13), 0);
    }
}
