//! Tết Nguyên Đán against the published Vietnamese table (`tests/data/tet_vn.txt`).
#![allow(clippy::unwrap_used)]

mod common;

use bangtin_lunar::{lunar_to_solar, solar_to_lunar, LunarDate, SolarDate, FIRST_YEAR, LAST_YEAR};

/// Years before 1968 whose published Tết is that of the UTC+8 calendar Vietnam then used; the
/// crate reckons every year at UTC+7, which puts Tết one day earlier in these years.
const UTC8_TET_BEFORE_1968: [i32; 3] = [1903, 1935, 1965];

/// Đức's table has Tết 1925 on 01-25, but the new moon was at 14:45 UT on 1925-01-24 (the day of
/// a total solar eclipse), which is 01-24 at UTC+7 and at UTC+8 alike, and the Chinese tables
/// (`tests/data/tet_cn.txt`) have 01-24 too.
const TABLE_OUTLIER_1925: (i32, SolarDate) = (1925, SolarDate::new(1925, 1, 24));

fn tet(year: i32) -> Option<SolarDate> {
    lunar_to_solar(LunarDate::new(year, 1, 1))
}

#[test]
fn reference_file_has_one_tet_for_every_table_year() {
    let years: Vec<i32> = common::new_years(common::TET_VN)
        .into_iter()
        .map(|(y, _)| y)
        .collect();
    let expected: Vec<i32> = (FIRST_YEAR..=LAST_YEAR).collect();
    assert_eq!(years, expected);
}

#[test]
fn tet_matches_published_vietnamese_dates_from_1968_to_2199() {
    let mut checked = 0;
    for (year, published) in common::new_years(common::TET_VN) {
        if year < 1968 {
            continue;
        }
        assert_eq!(tet(year), Some(published), "Tết {year}");
        assert_eq!(
            solar_to_lunar(published),
            Some(LunarDate::new(year, 1, 1)),
            "Tết {year}"
        );
        checked += 1;
    }
    assert_eq!(checked, 2199 - 1968 + 1);
}

#[test]
fn tet_before_1968_matches_published_dates_except_where_vietnam_then_used_utc8() {
    for (year, published) in common::new_years(common::TET_VN) {
        if year >= 1968 {
            continue;
        }
        let ours = tet(year).unwrap();
        if UTC8_TET_BEFORE_1968.contains(&year) {
            assert_eq!(
                days_between(ours, published),
                1,
                "Tết {year}: UTC+7 is a day earlier"
            );
        } else if year == TABLE_OUTLIER_1925.0 {
            assert_eq!(ours, TABLE_OUTLIER_1925.1);
            assert_eq!(published, SolarDate::new(1925, 1, 25));
        } else {
            assert_eq!(ours, published, "Tết {year}");
        }
    }
}

#[cfg(feature = "astro")]
#[test]
fn published_tet_before_1968_is_the_utc8_reckoning_in_the_years_it_differs() {
    use bangtin_lunar::astro::{lunar_year, CHINA};
    use bangtin_lunar::civil_from_days;
    let published = common::new_years(common::TET_VN);
    for year in UTC8_TET_BEFORE_1968 {
        let (_, date) = published.iter().find(|(y, _)| *y == year).unwrap();
        assert_eq!(
            civil_from_days(lunar_year(year, CHINA).new_year),
            *date,
            "Tết {year}"
        );
    }
}

#[test]
fn tet_of_recent_years_matches_the_dates_vietnam_celebrated() {
    // Independent of the reference file: the dates of the Tết public holidays.
    let known = [
        (2020, SolarDate::new(2020, 1, 25)),
        (2021, SolarDate::new(2021, 2, 12)),
        (2022, SolarDate::new(2022, 2, 1)),
        (2023, SolarDate::new(2023, 1, 22)),
        (2024, SolarDate::new(2024, 2, 10)),
        (2025, SolarDate::new(2025, 1, 29)),
        (2026, SolarDate::new(2026, 2, 17)),
    ];
    for (year, date) in known {
        assert_eq!(tet(year), Some(date), "Tết {year}");
    }
}

fn days_between(from: SolarDate, to: SolarDate) -> i64 {
    bangtin_lunar::days_from_civil(to) - bangtin_lunar::days_from_civil(from)
}
