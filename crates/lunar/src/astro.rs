//! The astronomical algorithm behind the table: Hồ Ngọc Đức's method for the Vietnamese
//! lunar calendar (feature `astro`, needs `std` for the trigonometry).
//!
//! Hồ Ngọc Đức, "Thuật toán tính âm lịch" / "Computing the Vietnamese lunar calendar"
//! (<https://www.informatik.uni-leipzig.de/~duc/amlich/calrules_en.html>), states the rules
//! of the calendar and gives simplified algorithms for them, which this module follows (with
//! the fuller new-moon theory described below):
//!
//! 1. A lunar month starts on the local day that contains the new moon (sóc).
//! 2. The winter solstice (Đông chí, sun at 270°) always falls in month 11.
//! 3. A lunar year (from month 11 to the next month 11) with 13 months has a leap month: the
//!    first month after month 11 that contains no major solar term (trung khí, the sun
//!    crossing a multiple of 30° of longitude). It repeats the number of the month before it.
//! 4. Days are reckoned on the meridian 105° E, the time zone UTC+7 ([`VIETNAM`]).
//!
//! The astronomy comes from Jean Meeus, *Astronomical Algorithms* (2nd ed., 1998):
//!
//! - [`new_moon`]: the instant of a new moon, chapter 49, with all its periodic and planetary
//!   terms, converted to UT with the ΔT of Espenak and Meeus ([`delta_t`]). Đức's article
//!   keeps only the largest terms, and at UTC+7 that puts eight new moons of 1900–2199 that fall
//!   within minutes of midnight on the wrong day (those of 1944-06-20, 2072-12-09, 2077-11-15,
//!   2130-05-07, 2150-05-26, 2159-05-17, 2175-01-22 and 2199-01-26, the last two being Tết);
//!   the tables Đức publishes from his more precise program agree with this module on the six
//!   from 1968 on (before 1968 they follow UTC+8, the calendar then in use).
//! - [`sun_longitude`]: the sun's apparent longitude from the low-precision solar theory of
//!   chapter 25 (accurate to 0.01°, about a quarter of an hour of the sun's motion), exactly as
//!   in Đức's program; solar terms only decide month 11 and the leap months.
//!
//! Against Đức's published tables (lunar years 1968–2199, UTC+7) every month start agrees but
//! one whose new moon falls seconds from midnight (2054-05-07/08); at UTC+8 every month of the
//! Chinese tables 1929–2100 agrees but the similar 2057-09-28/29. See the tests.
//!
//! Every function takes the time zone in hours, `tz`: [`VIETNAM`] (7.0) gives the Vietnamese
//! calendar, [`CHINA`] (8.0) the Chinese one, which differs in some years (Tết 1985 is
//! 1985-01-21 in Vietnam and 1985-02-20 in China; Tết 2007 is 02-17 and 02-18).
//!
//! Julian day numbers (JDN, `i64`) name whole days; Julian dates (JD, `f64`) are instants,
//! with the day starting at noon UTC.

use core::f64::consts::PI;

use crate::civil::{civil_from_days, days_from_civil};
use crate::date::{LunarDate, SolarDate};
use crate::table::YearInfo;

/// The time zone of the Vietnamese calendar: UTC+7, the meridian 105° E.
pub const VIETNAM: f64 = 7.0;
/// The time zone of the Chinese calendar: UTC+8, the meridian 120° E.
pub const CHINA: f64 = 8.0;

/// The JDN of 1970-01-01, day 0 of [`days_from_civil`].
const UNIX_EPOCH_JDN: i64 = 2_440_588;
/// The mean length of a lunation in days (Đức's value).
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// The JD of the new moon of 1900-01-01 13:51 UTC, lunation 0 of [`new_moon`] (Đức's value).
const LUNATION_ZERO: f64 = 2_415_021.076_998_695;

/// The Julian day number of a Gregorian date (proleptic Gregorian, no Julian-calendar switch).
pub fn jdn(date: SolarDate) -> i64 {
    days_from_civil(date) + UNIX_EPOCH_JDN
}

/// The Gregorian date of a Julian day number.
pub fn date_of_jdn(jdn: i64) -> SolarDate {
    civil_from_days(jdn - UNIX_EPOCH_JDN)
}

/// The instant (JD, UT) of the `k`-th new moon after the one of 1900-01-01 (k = 0; negative
/// before it).
///
/// Meeus, *Astronomical Algorithms*, chapter 49 ("Phases of the Moon"): the mean new moon plus
/// the 25 periodic terms of the true phase and the 14 planetary arguments, accurate to well
/// under a minute against the modern lunar theory ELP-2000/82, then converted from dynamical
/// time to UT with [`delta_t`].
pub fn new_moon(k: i64) -> f64 {
    // Meeus counts lunations from the new moon of 2000-01-06.
    let k = (k - 1237) as f64;
    let t = k / 1236.85; // Julian centuries since J2000.0
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t3 * t;
    let jde = 2_451_550.097_66 + 29.530_588_861 * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let rad = |degrees: f64| degrees.to_radians();
    // The sun's mean anomaly, the moon's mean anomaly, its argument of latitude and the
    // longitude of its ascending node.
    let m = rad(2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3);
    let mp = rad(
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4,
    );
    let f = rad(
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4,
    );
    let omega = rad(124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3);
    let periodic = -0.407_20 * mp.sin()
        + 0.172_41 * e * m.sin()
        + 0.016_08 * (2.0 * mp).sin()
        + 0.010_39 * (2.0 * f).sin()
        + 0.007_39 * e * (mp - m).sin()
        - 0.005_14 * e * (mp + m).sin()
        + 0.002_08 * e * e * (2.0 * m).sin()
        - 0.001_11 * (mp - 2.0 * f).sin()
        - 0.000_57 * (mp + 2.0 * f).sin()
        + 0.000_56 * e * (2.0 * mp + m).sin()
        - 0.000_42 * (3.0 * mp).sin()
        + 0.000_42 * e * (m + 2.0 * f).sin()
        + 0.000_38 * e * (m - 2.0 * f).sin()
        - 0.000_24 * e * (2.0 * mp - m).sin()
        - 0.000_17 * omega.sin()
        - 0.000_07 * (mp + 2.0 * m).sin()
        + 0.000_04 * (2.0 * mp - 2.0 * f).sin()
        + 0.000_04 * (3.0 * m).sin()
        + 0.000_03 * (mp + m - 2.0 * f).sin()
        + 0.000_03 * (2.0 * mp + 2.0 * f).sin()
        - 0.000_03 * (mp + m + 2.0 * f).sin()
        + 0.000_03 * (mp - m + 2.0 * f).sin()
        - 0.000_02 * (mp - m - 2.0 * f).sin()
        - 0.000_02 * (3.0 * mp + m).sin()
        + 0.000_02 * (4.0 * mp).sin();
    // Planetary arguments: (amplitude in days, argument at k = 0, rate per lunation), degrees.
    const PLANETARY: [(f64, f64, f64); 13] = [
        (0.000_165, 251.88, 0.016_321),
        (0.000_164, 251.83, 26.651_886),
        (0.000_126, 349.42, 36.412_478),
        (0.000_110, 84.66, 18.206_239),
        (0.000_062, 141.74, 53.303_771),
        (0.000_060, 207.14, 2.453_732),
        (0.000_056, 154.84, 7.306_860),
        (0.000_047, 34.52, 27.261_239),
        (0.000_042, 207.19, 0.121_824),
        (0.000_040, 291.34, 1.844_379),
        (0.000_037, 161.72, 24.198_154),
        (0.000_035, 239.56, 25.513_099),
        (0.000_023, 331.55, 3.592_518),
    ];
    let mut planetary = 0.000_325 * rad(299.77 + 0.107_408 * k - 0.009_173 * t2).sin();
    for (amplitude, at_zero, rate) in PLANETARY {
        planetary += amplitude * rad(at_zero + rate * k).sin();
    }
    let jde = jde + periodic + planetary;
    jde - delta_t(jde) / 86_400.0
}

/// ΔT = TT − UT in seconds at the instant `jd`: the polynomials of Espenak and Meeus
/// ("Five Millennium Canon of Solar Eclipses", NASA/TP-2006-214141), from 1800 on.
///
/// Measured values since 2005 have run a few seconds below the 2005–2050 polynomial, and the
/// extrapolation grows uncertain by minutes towards 2200; that only matters for a new moon or
/// solar term within that margin of midnight.
pub fn delta_t(jd: f64) -> f64 {
    let y = 2000.0 + (jd - 2_451_545.0) / 365.25;
    if y < 1860.0 {
        let t = y - 1800.0;
        13.72 - 0.332_447 * t + 0.006_861_2 * t.powi(2) + 0.004_111_6 * t.powi(3)
            - 0.000_374_36 * t.powi(4)
            + 0.000_012_127_2 * t.powi(5)
            - 0.000_000_169_9 * t.powi(6)
            + 0.000_000_000_875 * t.powi(7)
    } else if y < 1900.0 {
        let t = y - 1860.0;
        7.62 + 0.573_7 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3)
            - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3)
            - 0.000_197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.334_5 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else {
        let u = (y - 1820.0) / 100.0;
        let long_term = -20.0 + 32.0 * u * u;
        if y < 2150.0 {
            long_term - 0.5628 * (2150.0 - y)
        } else {
            long_term
        }
    }
}

/// The sun's apparent ecliptic longitude at the instant `jd` (UT), in radians in `[0, 2π)`.
///
/// Meeus' low-precision solar theory (chapter 25, accurate to 0.01°): mean longitude L0 plus
/// the equation of the centre C from the mean anomaly M, corrected for nutation and aberration
/// (−0.00569° − 0.00478° sin Ω), in dynamical time. Đức's `SunLongitude`, with the apparent
/// correction his published program applies.
pub fn sun_longitude(jd: f64) -> f64 {
    let jde = jd + delta_t(jd) / 86_400.0;
    let t = (jde - 2_451_545.0) / 36_525.0; // Julian centuries since J2000.0
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut c = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    c = c + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let omega = 125.04 - 1_934.136 * t;
    let l = (l0 + c - 0.005_69 - 0.004_78 * (omega * dr).sin()) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// The JDN of the local day (UTC+`tz`) that contains the `k`-th new moon.
pub fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// Which 30° segment of the ecliptic the sun is in at the local midnight (UTC+`tz`) that
/// starts day `jdn`: 0 for 0°–30° (from the March equinox), … 9 for 270°–300° (from the winter
/// solstice), … 11.
///
/// A month contains a major solar term exactly when this segment differs between its first day
/// and the first day of the next month.
pub fn sun_segment(jdn: i64, tz: f64) -> i64 {
    (sun_longitude(jdn as f64 - 0.5 - tz / 24.0) / PI * 6.0).floor() as i64
}

/// The index `k` of the lunation that starts closest to day `jdn` (for a month start: its own).
fn lunation_at(jdn: i64) -> i64 {
    ((jdn as f64 - LUNATION_ZERO) / SYNODIC_MONTH + 0.5).floor() as i64
}

/// The JDN of the first day of month 11, the month that contains the winter solstice of
/// Gregorian year `year`.
pub fn month_11_start(year: i32, tz: f64) -> i64 {
    let offset = jdn(SolarDate::new(year, 12, 31)) - 2_415_021;
    let k = (offset as f64 / SYNODIC_MONTH).floor() as i64;
    let start = new_moon_day(k, tz);
    // If the sun has already passed 270° when that month starts, the solstice is in the month
    // before.
    if sun_segment(start, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        start
    }
}

/// In the 13-month span that starts with month 11 on day `month_11`: the position (1–12,
/// month 11 being 0) of the leap month, the first month without a major solar term.
pub fn leap_month_offset(month_11: i64, tz: f64) -> i64 {
    let k = lunation_at(month_11);
    let mut i = 1;
    let mut segment = sun_segment(new_moon_day(k + i, tz), tz);
    loop {
        let last = segment;
        i += 1;
        segment = sun_segment(new_moon_day(k + i, tz), tz);
        if segment == last || i >= 14 {
            return i - 1;
        }
    }
}

/// One month of the span between two months 11, labelled.
struct Label {
    month: u8,
    leap: bool,
    /// The lunar year it belongs to.
    year: i32,
}

/// The label of the month at position `diff` of the span that starts with month 11 of
/// Gregorian year `year` (the span runs to month 11 of `year + 1`).
fn label(year: i32, diff: i64, leap_offset: Option<i64>) -> Label {
    let (mut month, leap) = match leap_offset {
        Some(leap_offset) if diff >= leap_offset => (diff + 10, diff == leap_offset),
        _ => (diff + 11, false),
    };
    if month > 12 {
        month -= 12;
    }
    // Months 11 and 12 at the start of the span still belong to lunar year `year`.
    let lunar_year = if month >= 11 && diff < 4 {
        year
    } else {
        year + 1
    };
    Label {
        month: month as u8,
        leap,
        year: lunar_year,
    }
}

/// The span from month 11 of `year` to month 11 of `year + 1`: the lunation index of its
/// first month, its number of months, and the position of its leap month.
fn span(year: i32, tz: f64) -> (i64, i64, Option<i64>) {
    let a11 = month_11_start(year, tz);
    let b11 = month_11_start(year + 1, tz);
    if b11 - a11 > 365 {
        (lunation_at(a11), 13, Some(leap_month_offset(a11, tz)))
    } else {
        (lunation_at(a11), 12, None)
    }
}

/// The lunar date of a Gregorian date, in time zone UTC+`tz` (Đức's `convertSolar2Lunar`).
///
/// Any date works, but years far outside 1800–2200 lose accuracy (ΔT, the truncated theories).
pub fn solar_to_lunar(date: SolarDate, tz: f64) -> LunarDate {
    let day = jdn(date);
    // The last new moon day on or before `day`. The estimate from the mean lunation can be one
    // off when a new moon falls near midnight, hence the corrections.
    let mut k = ((day as f64 - LUNATION_ZERO) / SYNODIC_MONTH).floor() as i64;
    while new_moon_day(k, tz) > day {
        k -= 1;
    }
    while new_moon_day(k + 1, tz) <= day {
        k += 1;
    }
    let month_start = new_moon_day(k, tz);
    let mut a11 = month_11_start(date.year, tz);
    let mut b11 = a11;
    let span_year = if a11 >= month_start {
        a11 = month_11_start(date.year - 1, tz);
        date.year - 1
    } else {
        b11 = month_11_start(date.year + 1, tz);
        date.year
    };
    let lunar_day = (day - month_start + 1) as u8;
    let diff = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let leap_offset = if b11 - a11 > 365 {
        Some(leap_month_offset(a11, tz))
    } else {
        None
    };
    let l = label(span_year, diff, leap_offset);
    LunarDate {
        year: l.year,
        month: l.month,
        day: lunar_day,
        leap: l.leap,
    }
}

/// The Gregorian date of a lunar date in time zone UTC+`tz` (Đức's `convertLunar2Solar`), or
/// `None` for a leap month the year does not have. Days past the end of the month are not
/// checked: they count on into the next month.
pub fn lunar_to_solar(date: LunarDate, tz: f64) -> Option<SolarDate> {
    if !(1..=12).contains(&date.month) {
        return None;
    }
    // Months 11 and 12 of lunar year Y are in the span that starts with month 11 of year Y.
    let span_year = if date.month < 11 {
        date.year - 1
    } else {
        date.year
    };
    let (k, _, leap_offset) = span(span_year, tz);
    let mut offset = i64::from(date.month) - 11;
    if offset < 0 {
        offset += 12;
    }
    match leap_offset {
        Some(leap_offset) => {
            let mut leap_month = leap_offset - 2;
            if leap_month < 0 {
                leap_month += 12;
            }
            if date.leap && i64::from(date.month) != leap_month {
                return None;
            }
            if date.leap || offset >= leap_offset {
                offset += 1;
            }
        }
        None if date.leap => return None,
        None => {}
    }
    let start = new_moon_day(k + offset, tz);
    Some(date_of_jdn(start + i64::from(date.day) - 1))
}

/// The shape of lunar year `year` in time zone UTC+`tz`: its Tết, month lengths and leap
/// month, as stored in the table.
///
/// Its months are those of the span from month 11 of `year - 1` labelled with lunar year
/// `year` (months 1–10 and possibly a leap month), then those of the span from month 11 of
/// `year` labelled likewise (months 11 and 12, possibly a leap 11 or 12).
pub fn lunar_year(year: i32, tz: f64) -> YearInfo {
    let mut first_lunation = None;
    let mut months = 0u8;
    let mut leap_month = 0u8;
    for span_year in [year - 1, year] {
        let (k, count, leap_offset) = span(span_year, tz);
        for diff in 0..count {
            let l = label(span_year, diff, leap_offset);
            if l.year != year {
                continue;
            }
            first_lunation.get_or_insert(k + diff);
            if l.leap {
                leap_month = l.month;
            }
            months += 1;
        }
    }
    // The months of a lunar year are consecutive lunations from its Tết.
    let first = first_lunation.unwrap_or_else(|| lunation_at(month_11_start(year - 1, tz)) + 2);
    let mut month_lengths = 0u16;
    let mut start = new_moon_day(first, tz);
    let new_year = start;
    for index in 0..months {
        let next = new_moon_day(first + i64::from(index) + 1, tz);
        if next - start == 30 {
            month_lengths |= 1 << index;
        }
        start = next;
    }
    YearInfo {
        year,
        new_year: new_year - UNIX_EPOCH_JDN,
        month_lengths,
        leap_month,
    }
}

/// The Rust source of `src/table/data.rs`: the table entries of lunar years
/// [`FIRST_YEAR`](crate::FIRST_YEAR)..=[`LAST_YEAR`](crate::LAST_YEAR) computed at UTC+7.
/// `cargo run --example gen_table` prints it; a test checks the committed file against it.
///
/// # Panics
///
/// If a year does not fit the table layout (it cannot happen: a year has 12 or 13 months, and
/// its leap month is one of 1–12).
pub fn table_source() -> std::string::String {
    use crate::{FIRST_YEAR, LAST_YEAR};
    use core::fmt::Write as _;
    let entries: std::vec::Vec<_> = (FIRST_YEAR..=LAST_YEAR)
        .map(|year| {
            lunar_year(year, VIETNAM)
                .encode()
                .unwrap_or_else(|| panic!("lunar year {year} does not fit the table layout"))
        })
        .collect();
    let years = entries.len();
    let mut out = std::string::String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "//! The table entries of the lunar years {FIRST_YEAR}..={LAST_YEAR}, laid out as the parent
//! module documents. Generated by `cargo run --example gen_table` from the `astro` algorithm at
//! UTC+7; do not edit by hand (the test `committed_table_source_is_what_the_algorithm_generates`
//! compares them).

/// The month lengths of each lunar year, from {FIRST_YEAR}: bit *i* set = month *i* has 30 days.
#[rustfmt::skip]
pub(crate) static MONTHS: [u16; {years}] = [
"
    );
    for (decade, row) in (FIRST_YEAR..).step_by(10).zip(entries.chunks(10)) {
        out.push_str("   ");
        for (lengths, _) in row {
            let _ = write!(out, " 0x{lengths:04x},");
        }
        let _ = writeln!(out, " // {decade}");
    }
    let _ = write!(
        out,
        "];

/// The leap month of each lunar year, from {FIRST_YEAR}: 1–12, 0 = none.
#[rustfmt::skip]
pub(crate) static LEAP_MONTHS: [u8; {years}] = [
"
    );
    for (decade, row) in (FIRST_YEAR..).step_by(20).zip(entries.chunks(20)) {
        out.push_str("   ");
        for (_, leap) in row {
            let _ = write!(out, " {leap:2},");
        }
        let _ = writeln!(out, " // {decade}");
    }
    out.push_str("];\n");
    out
}
