//! Names of the lunar years in the sexagenary cycle (can chi).

/// The ten heavenly stems (thiên can), Giáp first.
const STEMS: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];

/// The twelve earthly branches (địa chi), Tý first. Vietnamese uses Mão (the cat) where Chinese
/// has the rabbit, and writes Tỵ rather than Tị.
const BRANCHES: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

/// The heavenly stem and earthly branch of a lunar year, in Vietnamese (NFC), e.g.
/// `("Bính", "Ngọ")` for 2026 and `("Đinh", "Mùi")` for 2027.
///
/// `lunar_year` is the lunar year, not the Gregorian one: a day of January 2027 before Tết is
/// still in the year Bính Ngọ. Any year works; 1984 (Giáp Tý) starts a cycle.
pub fn can_chi_year(lunar_year: i32) -> (&'static str, &'static str) {
    let year = i64::from(lunar_year);
    // 4 AD was a Giáp Tý year: stem index (year - 4) mod 10, branch index (year - 4) mod 12.
    let stem = (year + 6).rem_euclid(10) as usize;
    let branch = (year + 8).rem_euclid(12) as usize;
    (STEMS[stem], BRANCHES[branch])
}
