//! The choice of language — Vietnamese (the default) or English — and locale-aware numbers.
//! Each widget keeps its own words in `widgets/<name>/words.rs`.
//!
//! Numbers go through the browser's `Intl` (Vietnamese writes "4,3" and "1.234"), so the wasm
//! carries no number formatting of its own.

use crate::config::OptValue;
use alloc::string::String;

/// A language the widgets speak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Reads a BCP 47 tag by its primary subtag: "vi", "vi-VN" → Vietnamese; "en", "en-GB" → English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("vi") {
            Some(Lang::Vi)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The locale passed to `Intl`.
    pub const fn locale(self) -> &'static str {
        match self {
            Lang::Vi => "vi-VN",
            Lang::En => "en-US",
        }
    }

    /// The tag set as the widget's `lang` attribute.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// `vi` or `en`, whichever this language is: each widget keeps its own words
    /// (`widgets/<name>/words.rs`) and picks them with this.
    pub const fn pick<T: ?Sized>(self, vi: &'static T, en: &'static T) -> &'static T {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

impl OptValue for Lang {
    const TYPE: &'static str = "language tag";
    const ALLOWED: &'static str = "\"vi\" or \"en\"";
    fn parse(raw: &str) -> Option<Self> {
        Lang::from_tag(raw)
    }
    fn show(&self) -> &'static str {
        self.tag()
    }
}

/// Formats `value` for `lang` with exactly `decimals` fraction digits, through `Intl`.
pub fn number(lang: Lang, value: f64, decimals: u8) -> String {
    let options = js_sys::Object::new();
    let digits = wasm_bindgen::JsValue::from(decimals);
    // Reflect::set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"minimumFractionDigits".into(), &digits);
    let _ = js_sys::Reflect::set(&options, &"maximumFractionDigits".into(), &digits);
    let locales = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(lang.locale()));
    js_sys::Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(&wasm_bindgen::JsValue::NULL, &value.into())
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_by_primary_subtag() {
        assert_eq!(Lang::from_tag("vi"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("vi-VN"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn vietnamese_numbers_use_a_decimal_comma_and_dot_grouping() {
        assert_eq!(number(Lang::Vi, 4.3, 1), "4,3");
        assert_eq!(number(Lang::Vi, 1234.0, 0), "1.234");
        assert_eq!(number(Lang::En, 4.3, 1), "4.3");
    }
}
