//! The table-backed public API: conversions, their refusals, next occurrences, can chi and the
//! Gregorian helpers. Nothing here needs the `astro` feature.
#![allow(clippy::unwrap_used)]

use bangtin_lunar::table::year_info;
use bangtin_lunar::{
    can_chi_year, civil_from_days, days_from_civil, days_in_month, lunar_to_solar,
    next_lunar_occurrence, solar_to_lunar, weekday, LunarDate, SolarDate, FIRST_YEAR, LAST_YEAR,
};

fn d(year: i32, month: u8, day: u8) -> SolarDate {
    SolarDate::new(year, month, day)
}

/// The first and last day numbers the table covers.
fn table_span() -> (i64, i64) {
    let first = year_info(FIRST_YEAR).unwrap().new_year;
    let last = year_info(LAST_YEAR).unwrap();
    (first, last.new_year + i64::from(last.day_count()) - 1)
}

#[test]
fn every_day_of_the_table_round_trips_solar_lunar_solar() {
    let (first, last) = table_span();
    assert_eq!(civil_from_days(first), d(1900, 1, 31));
    let mut previous: Option<LunarDate> = None;
    for days in first..=last {
        let solar = civil_from_days(days);
        let lunar = solar_to_lunar(solar).unwrap_or_else(|| panic!("{solar:?} not converted"));
        assert_eq!(lunar_to_solar(lunar), Some(solar), "{lunar:?}");
        // Consecutive days: the next lunar day, or day 1 of the next month.
        if let Some(p) = previous {
            if lunar.day == 1 {
                assert!(p.day == 29 || p.day == 30, "{p:?} -> {lunar:?}");
            } else {
                assert_eq!(
                    (lunar.year, lunar.month, lunar.leap, lunar.day),
                    (p.year, p.month, p.leap, p.day + 1)
                );
            }
        }
        previous = Some(lunar);
    }
}

#[test]
fn round_trip_covers_1900_02_01_to_2199_12_31() {
    let (first, last) = table_span();
    assert!(first <= days_from_civil(d(1900, 2, 1)));
    assert!(last >= days_from_civil(d(2199, 12, 31)));
    assert_eq!(
        solar_to_lunar(d(1900, 2, 1)),
        Some(LunarDate::new(1900, 1, 2))
    );
    assert_eq!(solar_to_lunar(d(2199, 12, 31)).map(|l| l.year), Some(2199));
}

#[test]
fn dates_outside_the_table_are_refused() {
    let (first, last) = table_span();
    assert_eq!(solar_to_lunar(civil_from_days(first - 1)), None);
    assert_eq!(solar_to_lunar(d(1900, 1, 30)), None);
    assert_eq!(solar_to_lunar(d(1899, 6, 1)), None);
    assert_eq!(civil_from_days(last), d(2200, 2, 14));
    assert!(solar_to_lunar(d(2200, 2, 14)).is_some());
    assert_eq!(solar_to_lunar(d(2200, 2, 15)), None);
    assert_eq!(solar_to_lunar(civil_from_days(last + 1)), None);
    assert_eq!(solar_to_lunar(d(2201, 1, 1)), None);
    assert_eq!(solar_to_lunar(d(i32::MAX, 12, 31)), None);
    assert_eq!(solar_to_lunar(d(i32::MIN, 1, 1)), None);
    assert_eq!(lunar_to_solar(LunarDate::new(1899, 12, 1)), None);
    assert_eq!(lunar_to_solar(LunarDate::new(2200, 1, 1)), None);
}

#[test]
fn invalid_solar_dates_are_refused() {
    for date in [
        d(2023, 2, 29),
        d(2100, 2, 29),
        d(2024, 4, 31),
        d(2024, 0, 1),
        d(2024, 13, 1),
        d(2024, 1, 0),
        d(2024, 1, 32),
    ] {
        assert!(!date.is_valid(), "{date:?}");
        assert_eq!(solar_to_lunar(date), None, "{date:?}");
        assert_eq!(next_lunar_occurrence(date, 1, 1), None, "{date:?}");
    }
    assert!(d(2024, 2, 29).is_valid());
    assert!(d(2000, 2, 29).is_valid());
    assert!(solar_to_lunar(d(2024, 2, 29)).is_some());
}

#[test]
fn invalid_lunar_dates_are_refused() {
    // Month 12 of lunar 2024 (Giáp Thìn) has 29 days: no "30 Tết" in 2025.
    assert_eq!(
        lunar_to_solar(LunarDate::new(2024, 12, 29)),
        Some(d(2025, 1, 28))
    );
    assert_eq!(lunar_to_solar(LunarDate::new(2024, 12, 30)), None);
    // 2024 has no leap month; 2023 has only leap month 2.
    assert_eq!(lunar_to_solar(LunarDate::new_leap(2024, 4, 1)), None);
    assert_eq!(lunar_to_solar(LunarDate::new_leap(2023, 3, 1)), None);
    assert!(lunar_to_solar(LunarDate::new_leap(2023, 2, 1)).is_some());
    for date in [
        LunarDate::new(2024, 0, 1),
        LunarDate::new(2024, 13, 1),
        LunarDate::new(2024, 1, 0),
        LunarDate::new(2024, 1, 31),
    ] {
        assert_eq!(lunar_to_solar(date), None, "{date:?}");
    }
}

#[test]
fn next_tet_after_tet_2027_is_tet_2028() {
    assert_eq!(
        next_lunar_occurrence(d(2027, 2, 6), 1, 1),
        Some(d(2027, 2, 6)),
        "on the day itself"
    );
    assert_eq!(
        next_lunar_occurrence(d(2027, 2, 7), 1, 1),
        Some(d(2028, 1, 26))
    );
    assert_eq!(
        next_lunar_occurrence(d(2026, 12, 31), 1, 1),
        Some(d(2027, 2, 6))
    );
    // Before Tết, in January: still the Tết of the same Gregorian year.
    assert_eq!(
        next_lunar_occurrence(d(2027, 1, 1), 1, 1),
        Some(d(2027, 2, 6))
    );
}

#[test]
fn next_gio_to_hung_vuong_crosses_into_the_next_lunar_year_once_passed() {
    assert_eq!(
        next_lunar_occurrence(d(2027, 1, 1), 3, 10),
        Some(d(2027, 4, 16))
    );
    assert_eq!(
        next_lunar_occurrence(d(2027, 4, 16), 3, 10),
        Some(d(2027, 4, 16))
    );
    assert_eq!(
        next_lunar_occurrence(d(2027, 4, 17), 3, 10),
        Some(d(2028, 4, 4))
    );
    // In January, before Tết, the lunar year is still the old one, whose 3-10 has passed.
    assert_eq!(
        next_lunar_occurrence(d(2026, 1, 15), 3, 10),
        Some(d(2026, 4, 26))
    );
}

#[test]
fn next_trung_thu_is_in_september_or_october() {
    assert_eq!(
        next_lunar_occurrence(d(2024, 9, 1), 8, 15),
        Some(d(2024, 9, 17))
    );
    assert_eq!(
        next_lunar_occurrence(d(2024, 9, 18), 8, 15),
        Some(d(2025, 10, 6))
    );
    assert_eq!(
        next_lunar_occurrence(d(2025, 12, 25), 8, 15),
        Some(d(2026, 9, 25))
    );
    assert_eq!(
        next_lunar_occurrence(d(2027, 1, 1), 8, 15),
        Some(d(2027, 9, 15))
    );
}

#[test]
fn day_30_of_a_29_day_month_means_its_last_day() {
    // "30 Tết" before Tết 2025: month 12 of lunar 2024 has 29 days, so its eve is 12-29.
    assert_eq!(
        next_lunar_occurrence(d(2025, 1, 1), 12, 30),
        Some(d(2025, 1, 28))
    );
    assert_eq!(
        next_lunar_occurrence(d(2025, 1, 1), 12, 29),
        Some(d(2025, 1, 28))
    );
    // A month that has 30 days keeps its own 30th: the day before the next month's first.
    let info = year_info(2025).unwrap();
    let index = (0..info.month_count())
        .find(|&i| info.month_len(i) == 30 && !info.month_at(i).1)
        .unwrap();
    let (month, _) = info.month_at(index);
    let next_start = lunar_to_solar(LunarDate::new(2025, month + 1, 1)).unwrap();
    let thirtieth = next_lunar_occurrence(d(2025, 1, 29), month, 30).unwrap();
    assert_eq!(days_from_civil(thirtieth) + 1, days_from_civil(next_start));
}

#[test]
fn leap_months_are_skipped() {
    // 2025 has a leap month 6 (from 2025-07-25): its 15th is not an occurrence of 6-15.
    assert_eq!(
        lunar_to_solar(LunarDate::new_leap(2025, 6, 15)),
        Some(d(2025, 8, 8))
    );
    assert_eq!(
        next_lunar_occurrence(d(2025, 7, 1), 6, 15),
        Some(d(2025, 7, 9))
    );
    assert_eq!(
        next_lunar_occurrence(d(2025, 7, 10), 6, 15),
        Some(d(2026, 7, 28))
    );
}

#[test]
fn next_occurrence_refuses_bad_arguments_and_the_end_of_the_table() {
    assert_eq!(next_lunar_occurrence(d(2027, 1, 1), 0, 1), None);
    assert_eq!(next_lunar_occurrence(d(2027, 1, 1), 13, 1), None);
    assert_eq!(next_lunar_occurrence(d(2027, 1, 1), 1, 0), None);
    assert_eq!(next_lunar_occurrence(d(2027, 1, 1), 1, 31), None);
    // After Tết 2199 there is no later Tết in the table.
    let tet_2199 = lunar_to_solar(LunarDate::new(2199, 1, 1)).unwrap();
    assert_eq!(next_lunar_occurrence(tet_2199, 1, 1), Some(tet_2199));
    assert_eq!(next_lunar_occurrence(d(2199, 6, 1), 1, 1), None);
    assert_eq!(next_lunar_occurrence(d(2300, 1, 1), 1, 1), None);
    // Before the table: the first year's occurrence.
    assert_eq!(
        next_lunar_occurrence(d(1850, 1, 1), 1, 1),
        Some(d(1900, 1, 31))
    );
}

#[test]
fn can_chi_names_match_the_vietnamese_cycle() {
    assert_eq!(can_chi_year(2027), ("Đinh", "Mùi"));
    assert_eq!(can_chi_year(2026), ("Bính", "Ngọ"));
    assert_eq!(can_chi_year(2025), ("Ất", "Tỵ"));
    assert_eq!(can_chi_year(2023), ("Quý", "Mão"));
    assert_eq!(can_chi_year(2000), ("Canh", "Thìn"));
    assert_eq!(can_chi_year(1984), ("Giáp", "Tý"));
    assert_eq!(can_chi_year(1975), ("Ất", "Mão"));
    assert_eq!(can_chi_year(1968), ("Mậu", "Thân"));
    assert_eq!(can_chi_year(1945), ("Ất", "Dậu"));
    // The cycle repeats every 60 years, in both directions and at the extremes.
    for year in [-3000, -1, 0, 1, 1900, 2199, i32::MAX - 60, i32::MIN] {
        assert_eq!(can_chi_year(year), can_chi_year(year + 60), "{year}");
    }
}

#[test]
fn can_chi_names_are_precomposed_nfc() {
    for year in 2020..2080 {
        let (stem, branch) = can_chi_year(year);
        for c in stem.chars().chain(branch.chars()) {
            assert!(
                !('\u{300}'..='\u{36f}').contains(&c),
                "combining mark in {stem} {branch}"
            );
        }
    }
    assert_eq!(
        can_chi_year(2024).1.chars().count(),
        4,
        "Thìn as 4 code points"
    );
    assert_eq!(can_chi_year(2027).0, "\u{110}inh");
    assert_eq!(can_chi_year(2023).1, "M\u{e3}o");
    assert_eq!(can_chi_year(2025).1, "T\u{1ef5}");
}

#[test]
fn weekdays_of_known_dates() {
    assert_eq!(weekday(d(1970, 1, 1)), 4, "Thursday");
    assert_eq!(weekday(d(1900, 1, 1)), 1, "Monday");
    assert_eq!(weekday(d(1945, 9, 2)), 0, "Sunday, Independence Day");
    assert_eq!(weekday(d(1975, 4, 30)), 3, "Wednesday");
    assert_eq!(weekday(d(2000, 1, 1)), 6, "Saturday");
    assert_eq!(weekday(d(2024, 2, 10)), 6, "Saturday, Tết Giáp Thìn");
    assert_eq!(weekday(d(2026, 2, 17)), 2, "Tuesday, Tết Bính Ngọ");
    assert_eq!(weekday(d(2100, 1, 1)), 5, "Friday");
    assert_eq!(weekday(d(1969, 12, 31)), 3, "Wednesday, before the epoch");
    assert_eq!(weekday(d(-1, 12, 31)), 5, "Friday, 2 BC (proleptic)");
}

#[test]
fn day_numbers_round_trip_and_match_known_values() {
    assert_eq!(days_from_civil(d(1970, 1, 1)), 0);
    assert_eq!(days_from_civil(d(1969, 12, 31)), -1);
    assert_eq!(days_from_civil(d(2000, 3, 1)), 11_017);
    assert_eq!(days_from_civil(d(2024, 2, 10)), 19_763);
    assert_eq!(days_from_civil(d(1900, 1, 1)), -25_567);
    assert_eq!(days_from_civil(d(0, 3, 1)), -719_468);
    assert_eq!(civil_from_days(19_763), d(2024, 2, 10));
    for days in (-1_000_000..1_000_000).step_by(7) {
        let date = civil_from_days(days);
        assert!(date.is_valid(), "{date:?}");
        assert_eq!(days_from_civil(date), days);
    }
}

#[test]
fn consecutive_day_numbers_are_consecutive_dates() {
    let mut date = civil_from_days(days_from_civil(d(1899, 12, 31)));
    for days in days_from_civil(d(1899, 12, 31)) + 1..=days_from_civil(d(2201, 1, 1)) {
        let next = civil_from_days(days);
        let expected = if date.day < days_in_month(date.year, date.month) {
            d(date.year, date.month, date.day + 1)
        } else if date.month < 12 {
            d(date.year, date.month + 1, 1)
        } else {
            d(date.year + 1, 1, 1)
        };
        assert_eq!(next, expected);
        date = next;
    }
}
