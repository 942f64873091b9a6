//! The embedded table is exactly what the astronomical algorithm computes at UTC+7.
#![cfg(feature = "astro")]
#![allow(clippy::unwrap_used)]

use bangtin_lunar::astro::{self, lunar_year, VIETNAM};
use bangtin_lunar::table::{self, year_info};
use bangtin_lunar::{
    civil_from_days, days_from_civil, lunar_to_solar, solar_to_lunar, LunarDate, SolarDate,
    FIRST_YEAR, LAST_YEAR,
};

#[test]
fn table_matches_algorithm_for_every_year_1900_to_2199() {
    for year in FIRST_YEAR..=LAST_YEAR {
        let computed = lunar_year(year, VIETNAM);
        assert_eq!(year_info(year), Some(computed), "lunar year {year}");
        assert_eq!(
            table::entry(year),
            computed.encode(),
            "table entry of {year}"
        );
    }
}

#[test]
fn table_conversion_matches_algorithm_for_every_day() {
    let first = year_info(FIRST_YEAR).unwrap().new_year;
    let last = year_info(LAST_YEAR).unwrap();
    let end = last.new_year + i64::from(last.day_count());
    for days in first..end {
        let date = civil_from_days(days);
        assert_eq!(
            solar_to_lunar(date),
            Some(astro::solar_to_lunar(date, VIETNAM)),
            "{date:?}"
        );
    }
}

#[test]
fn table_matches_algorithm_on_the_first_and_last_day_of_every_month() {
    for year in FIRST_YEAR..=LAST_YEAR {
        let info = year_info(year).unwrap();
        for index in 0..info.month_count() {
            let (month, leap) = info.month_at(index);
            for day in [1, info.month_len(index)] {
                let lunar = LunarDate {
                    year,
                    month,
                    day,
                    leap,
                };
                let solar = lunar_to_solar(lunar).unwrap();
                assert_eq!(
                    astro::lunar_to_solar(lunar, VIETNAM),
                    Some(solar),
                    "{lunar:?}"
                );
                assert_eq!(astro::solar_to_lunar(solar, VIETNAM), lunar, "{solar:?}");
            }
        }
    }
}

#[test]
fn algorithm_refuses_a_leap_month_the_year_lacks() {
    assert_eq!(
        astro::lunar_to_solar(LunarDate::new_leap(2024, 4, 1), VIETNAM),
        None
    );
    assert_eq!(
        astro::lunar_to_solar(LunarDate::new_leap(2023, 3, 1), VIETNAM),
        None
    );
    assert_eq!(
        astro::lunar_to_solar(LunarDate::new_leap(2023, 2, 1), VIETNAM),
        Some(SolarDate::new(2023, 3, 22))
    );
}

#[test]
fn julian_day_numbers_match_the_standard_epoch() {
    assert_eq!(astro::jdn(SolarDate::new(2000, 1, 1)), 2_451_545);
    assert_eq!(astro::jdn(SolarDate::new(1970, 1, 1)), 2_440_588);
    assert_eq!(astro::date_of_jdn(2_415_021), SolarDate::new(1900, 1, 1));
    assert_eq!(days_from_civil(astro::date_of_jdn(2_451_545)), 10_957);
}

#[test]
fn committed_table_source_is_what_the_algorithm_generates() {
    let committed = include_str!("../src/table/data.rs");
    assert!(
        committed == astro::table_source(),
        "src/table/data.rs is stale: run `cargo run --example gen_table > src/table/data.rs`"
    );
}
