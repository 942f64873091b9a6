//! Reading the reference data of `tests/data` (embedded at compile time, so the tests do not
//! depend on the working directory). Comment lines start with `#`; see each file's header for
//! its sources.
#![allow(dead_code, clippy::unwrap_used)]

use bangtin_lunar::SolarDate;

pub const TET_VN: &str = include_str!("../data/tet_vn.txt");
pub const LEAP_VN: &str = include_str!("../data/leap_vn.txt");
pub const MONTHS_VN: &str = include_str!("../data/months_vn.txt");
pub const TET_CN: &str = include_str!("../data/tet_cn.txt");
pub const LEAP_CN: &str = include_str!("../data/leap_cn.txt");
pub const MONTHS_CN: &str = include_str!("../data/months_cn.txt");

/// The data lines of a file: no comments, no blank lines.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> SolarDate {
    let mut parts = text.split('-');
    let year = parts.next().unwrap().parse().unwrap();
    let month = parts.next().unwrap().parse().unwrap();
    let day = parts.next().unwrap().parse().unwrap();
    assert!(parts.next().is_none(), "not a date: {text}");
    SolarDate::new(year, month, day)
}

/// A file of one New Year date per line: `(lunar year, date)`; the lunar year is the
/// Gregorian year of its New Year.
pub fn new_years(text: &str) -> Vec<(i32, SolarDate)> {
    lines(text)
        .map(parse_date)
        .map(|date| (date.year, date))
        .collect()
}

/// A file of `YEAR MONTH` lines: the leap month of each year that has one.
pub fn leap_months(text: &str) -> std::collections::BTreeMap<i32, u8> {
    lines(text)
        .map(|line| {
            let mut parts = line.split_whitespace();
            (
                parts.next().unwrap().parse().unwrap(),
                parts.next().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

/// One month start: lunar year, month, leap, Gregorian date of day 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthStart {
    pub year: i32,
    pub month: u8,
    pub leap: bool,
    pub date: SolarDate,
}

/// A file of `LUNAR_YEAR MONTH LEAP(0/1) YYYY-MM-DD` lines.
pub fn month_starts(text: &str) -> Vec<MonthStart> {
    lines(text)
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts.len(), 4, "bad line {line}");
            MonthStart {
                year: parts[0].parse().unwrap(),
                month: parts[1].parse().unwrap(),
                leap: parts[2] == "1",
                date: parse_date(parts[3]),
            }
        })
        .collect()
}
