//! Leap months (tháng nhuận) against the published Vietnamese table (`tests/data/leap_vn.txt`).
#![allow(clippy::unwrap_used)]

mod common;

use bangtin_lunar::table::year_info;
use bangtin_lunar::{lunar_to_solar, solar_to_lunar, LunarDate, SolarDate};

/// Years before 1968 whose published leap month is that of the UTC+8 calendar Vietnam then
/// used (published, UTC+7).
const UTC8_LEAP_BEFORE_1968: [(i32, u8, u8); 3] = [(1917, 2, 3), (1922, 5, 6), (1938, 7, 8)];

fn leap_month(year: i32) -> u8 {
    year_info(year).unwrap().leap_month
}

#[test]
fn known_leap_years_have_their_published_leap_month() {
    // Each verified in Hồ Ngọc Đức's table (tests/data/leap_vn.txt).
    for (year, month) in [
        (2020, 4),
        (2023, 2),
        (2025, 6),
        (2028, 5),
        (2031, 3),
        (2033, 11),
        (2036, 6),
    ] {
        assert_eq!(leap_month(year), month, "leap month of {year}");
    }
    for year in [2021, 2022, 2024, 2026, 2027, 2029, 2030] {
        assert_eq!(leap_month(year), 0, "{year} has no leap month");
    }
}

#[test]
fn leap_month_4_of_2020_runs_from_23_may_to_20_june() {
    // Published with the test data of github.com/vuhaininh/vn_lunar_calendar (from Đức's calendar).
    assert_eq!(
        solar_to_lunar(SolarDate::new(2020, 5, 22)),
        Some(LunarDate::new(2020, 4, 30))
    );
    assert_eq!(
        solar_to_lunar(SolarDate::new(2020, 5, 23)),
        Some(LunarDate::new_leap(2020, 4, 1))
    );
    assert_eq!(
        solar_to_lunar(SolarDate::new(2020, 6, 20)),
        Some(LunarDate::new_leap(2020, 4, 29))
    );
    assert_eq!(
        solar_to_lunar(SolarDate::new(2020, 6, 21)),
        Some(LunarDate::new(2020, 5, 1))
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new_leap(2020, 4, 1)),
        Some(SolarDate::new(2020, 5, 23))
    );
}

#[test]
fn leap_month_11_of_2033_follows_month_11() {
    let month_11 = lunar_to_solar(LunarDate::new(2033, 11, 1)).unwrap();
    let leap_11 = lunar_to_solar(LunarDate::new_leap(2033, 11, 1)).unwrap();
    let month_12 = lunar_to_solar(LunarDate::new(2033, 12, 1)).unwrap();
    assert!(month_11 < leap_11 && leap_11 < month_12);
    // The year still ends with month 12, and Tết 2034 follows it.
    assert_eq!(
        solar_to_lunar(leap_11),
        Some(LunarDate::new_leap(2033, 11, 1))
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(2034, 1, 1)),
        Some(SolarDate::new(2034, 2, 19))
    );
}

#[test]
fn leap_months_match_published_vietnamese_table_from_1968_to_2199() {
    let published = common::leap_months(common::LEAP_VN);
    for year in 1968..=2199 {
        let expected = published.get(&year).copied().unwrap_or(0);
        assert_eq!(leap_month(year), expected, "leap month of {year}");
    }
}

#[test]
fn leap_months_before_1968_match_published_table_except_where_vietnam_then_used_utc8() {
    let published = common::leap_months(common::LEAP_VN);
    for year in 1900..1968 {
        let expected = published.get(&year).copied().unwrap_or(0);
        match UTC8_LEAP_BEFORE_1968.iter().find(|(y, _, _)| *y == year) {
            Some(&(_, utc8, utc7)) => {
                assert_eq!(expected, utc8, "published leap month of {year}");
                assert_eq!(leap_month(year), utc7, "UTC+7 leap month of {year}");
            }
            None => assert_eq!(leap_month(year), expected, "leap month of {year}"),
        }
    }
}

#[cfg(feature = "astro")]
#[test]
fn published_leap_months_before_1968_are_the_utc8_reckoning_where_they_differ() {
    use bangtin_lunar::astro::{lunar_year, CHINA};
    for (year, utc8, _) in UTC8_LEAP_BEFORE_1968 {
        assert_eq!(
            lunar_year(year, CHINA).leap_month,
            utc8,
            "leap month of {year}"
        );
    }
}
