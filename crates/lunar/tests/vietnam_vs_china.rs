//! The time zone is what separates the Vietnamese calendar (UTC+7) from the Chinese one
//! (UTC+8): the same algorithm at UTC+8 reproduces the published Chinese calendar
//! (`tests/data/*_cn.txt`), at UTC+7 the Vietnamese one, and the two differ where the sources
//! say they do.
#![cfg(feature = "astro")]
#![allow(clippy::unwrap_used)]

mod common;

use bangtin_lunar::astro::{self, lunar_year, CHINA, VIETNAM};
use bangtin_lunar::table::YearInfo;
use bangtin_lunar::{civil_from_days, LunarDate, SolarDate};

/// China reckons its calendar at UTC+8 from 1929 (before, in Beijing local time).
const CHINA_UTC8_FROM: i32 = 1929;

fn tet(year: i32, tz: f64) -> SolarDate {
    civil_from_days(lunar_year(year, tz).new_year)
}

fn month_starts(info: &YearInfo) -> Vec<(u8, bool, SolarDate)> {
    (0..info.month_count())
        .map(|i| {
            let (month, leap) = info.month_at(i);
            (month, leap, civil_from_days(info.month_start(i)))
        })
        .collect()
}

#[test]
fn utc8_reproduces_every_published_chinese_new_year_from_1929_to_2100() {
    for (year, published) in common::new_years(common::TET_CN) {
        if year >= CHINA_UTC8_FROM {
            assert_eq!(tet(year, CHINA), published, "Chinese New Year {year}");
        }
    }
}

#[test]
fn utc8_reproduces_every_published_chinese_month_from_1929_to_2100() {
    let published = common::month_starts(common::MONTHS_CN);
    let mut computed = Vec::new();
    for year in CHINA_UTC8_FROM..=2100 {
        let info = lunar_year(year, CHINA);
        for (month, leap, date) in month_starts(&info) {
            computed.push(common::MonthStart {
                year,
                month,
                leap,
                date,
            });
        }
    }
    assert_eq!(computed.len(), published.len());
    let differing: Vec<_> = computed
        .iter()
        .zip(&published)
        .filter(|(a, b)| a != b)
        .collect();
    // Month 9 of 2057: the new moon falls at 23:59:50 Beijing time on 28 September (PyEphem),
    // seconds from midnight and well within the uncertainty of ΔT; the published table starts
    // the month on the 29th. It is the well-known borderline case of the Chinese calendar.
    let month = |date| common::MonthStart {
        year: 2057,
        month: 9,
        leap: false,
        date,
    };
    assert_eq!(
        differing,
        [(
            &month(SolarDate::new(2057, 9, 28)),
            &month(SolarDate::new(2057, 9, 29))
        )]
    );
}

#[test]
fn utc8_reproduces_every_published_chinese_leap_month_from_1929_to_2100() {
    let published = common::leap_months(common::LEAP_CN);
    for year in CHINA_UTC8_FROM..=2100 {
        let expected = published.get(&year).copied().unwrap_or(0);
        assert_eq!(
            lunar_year(year, CHINA).leap_month,
            expected,
            "Chinese leap month {year}"
        );
    }
}

#[test]
fn vietnamese_and_chinese_tet_differ_exactly_in_the_published_years_1968_to_2100() {
    let vn = common::new_years(common::TET_VN);
    let cn = common::new_years(common::TET_CN);
    let published: Vec<i32> = vn
        .iter()
        .filter(|(year, _)| (1968..=2100).contains(year))
        .filter(|(year, date)| cn.iter().any(|(y, d)| y == year && d != date))
        .map(|(year, _)| *year)
        .collect();
    assert_eq!(published, [1968, 1969, 1985, 2007, 2030, 2053]);
    let computed: Vec<i32> = (1968..=2100)
        .filter(|&year| tet(year, VIETNAM) != tet(year, CHINA))
        .collect();
    assert_eq!(computed, published);
}

#[test]
fn tet_1985_is_in_january_in_vietnam_and_in_february_in_china() {
    // en.wikipedia.org/wiki/Vietnamese_calendar: the winter solstice of 1984 fell on
    // 21 December in Hanoi but 22 December in Beijing, so month 11 differs and with it the leap
    // month: China's 1984 has a leap month 10, Vietnam's 1985 a leap month 2.
    assert_eq!(tet(1985, VIETNAM), SolarDate::new(1985, 1, 21));
    assert_eq!(tet(1985, CHINA), SolarDate::new(1985, 2, 20));
    assert_eq!(lunar_year(1984, CHINA).leap_month, 10);
    assert_eq!(lunar_year(1984, VIETNAM).leap_month, 0);
    assert_eq!(lunar_year(1985, VIETNAM).leap_month, 2);
    assert_eq!(lunar_year(1985, CHINA).leap_month, 0);
}

#[test]
fn tet_is_a_day_earlier_in_vietnam_in_2007_2030_and_2053() {
    for (year, vn, cn) in [
        (
            2007,
            SolarDate::new(2007, 2, 17),
            SolarDate::new(2007, 2, 18),
        ),
        (2030, SolarDate::new(2030, 2, 2), SolarDate::new(2030, 2, 3)),
        (
            2053,
            SolarDate::new(2053, 2, 18),
            SolarDate::new(2053, 2, 19),
        ),
    ] {
        assert_eq!(tet(year, VIETNAM), vn, "Vietnam {year}");
        assert_eq!(tet(year, CHINA), cn, "China {year}");
    }
}

#[test]
fn tet_1968_was_29_january_in_the_north_at_utc7_and_30_january_at_utc8() {
    // Aslaksen, "The Mathematics of the Chinese Calendar": the new moon at 16:29 UT on
    // 29 January 1968 fell before midnight in Hanoi (UTC+7), after it in Saigon (UTC+8).
    assert_eq!(tet(1968, VIETNAM), SolarDate::new(1968, 1, 29));
    assert_eq!(tet(1968, CHINA), SolarDate::new(1968, 1, 30));
}

#[test]
fn leap_month_of_1987_is_7_in_vietnam_and_6_in_china() {
    assert_eq!(lunar_year(1987, VIETNAM).leap_month, 7);
    assert_eq!(lunar_year(1987, CHINA).leap_month, 6);
}

#[test]
fn month_6_of_2006_starts_a_day_earlier_in_vietnam() {
    // The new moon at 23:05 Vietnam time on 25 June 2006, so 00:05 on the 26th in China (Trần
    // Tiến Bình of the National Calendar Department, quoted in "The Vietnamese Calendar Differs
    // from the Chinese Calendar", https://scimyst.com/schedule-sai-gon-cleaning-organization-7165).
    let vn = astro::lunar_to_solar(LunarDate::new(2006, 6, 1), VIETNAM);
    let cn = astro::lunar_to_solar(LunarDate::new(2006, 6, 1), CHINA);
    assert_eq!(vn, Some(SolarDate::new(2006, 6, 25)));
    assert_eq!(cn, Some(SolarDate::new(2006, 6, 26)));
}

#[test]
fn in_1943_and_1954_both_time_zones_agree_and_in_1944_only_month_5_differs() {
    for year in [1943, 1954] {
        assert_eq!(
            month_starts(&lunar_year(year, VIETNAM)),
            month_starts(&lunar_year(year, CHINA))
        );
    }
    let vn = month_starts(&lunar_year(1944, VIETNAM));
    let cn = month_starts(&lunar_year(1944, CHINA));
    let differing: Vec<_> = vn.iter().zip(&cn).filter(|(a, b)| a != b).collect();
    assert_eq!(
        differing,
        [(
            &(5, false, SolarDate::new(1944, 6, 20)),
            &(5, false, SolarDate::new(1944, 6, 21))
        )]
    );
}
