//! The options of `<bangtin-rating>`.

use crate::article::ArticleKey;
use crate::config::OptValue;
use crate::i18n::Lang;
use bangtin_api::Scale;

crate::widget_options! {
    /// Options of `<bangtin-rating>`, as attributes or in `bangtin('mount', element, {…})`.
    pub struct RatingOptions for "rating" {
        /// The article being rated. Default: the page's `<link rel="canonical">` URL, else its path.
        article: Option<ArticleKey> = None,
        /// Five stars, or thumbs up and down.
        scale: Scale = Scale::Stars,
        /// Language of the widget. Default: the loader's `data-lang`, else the page's `<html lang>`.
        lang: Option<Lang> = None,
    }
}

impl OptValue for Scale {
    const TYPE: &'static str = "enum";
    const ALLOWED: &'static str = "\"stars\" or \"thumbs\"";
    fn parse(raw: &str) -> Option<Self> {
        Scale::parse(raw)
    }
    fn show(&self) -> &'static str {
        self.as_str()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::config::props;
    use crate::config::Options;
    use proptest::prelude::*;

    #[test]
    fn options_table_lists_every_option_with_its_default() {
        let spec = RatingOptions::spec();
        let names: Vec<_> = spec.iter().map(|row| row.name).collect();
        assert_eq!(names, ["article", "scale", "lang"]);
        assert_eq!(spec[1].default, "stars");
        assert_eq!(spec[1].allowed, "\"stars\" or \"thumbs\"");
        assert!(spec[0].doc.starts_with("The article being rated."));
    }

    #[test]
    fn bad_option_values_keep_the_default_and_say_what_is_allowed() {
        let mut options = RatingOptions::default();
        assert_eq!(
            options.set("scale", "stras"),
            Err("\"stars\" or \"thumbs\"")
        );
        assert_eq!(options.scale, Scale::Stars);
        assert_eq!(options.set("scale", "thumbs"), Ok(()));
        assert_eq!(options.scale, Scale::Thumbs);
        assert!(options.set("article", "").is_err());
        assert_eq!(options.set("lang", "en-GB"), Ok(()));
        assert_eq!(options.lang, Some(Lang::En));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_attribute_text_is_taken_whole_or_refused_changing_nothing(
            name in prop::sample::select(vec!["article", "scale", "lang", "bogus", ""]),
            raw in props::attribute_text(),
        ) {
            props::set_is_all_or_nothing(&RatingOptions::default(), name, &raw)?;
        }

        #[test]
        fn a_scale_is_taken_exactly_as_documented(raw in props::attribute_text()) {
            let mut options = RatingOptions::default();
            let taken = options.set("scale", &raw).is_ok();
            prop_assert_eq!(taken, raw == "stars" || raw == "thumbs");
        }

        #[test]
        fn an_article_is_taken_exactly_when_the_server_takes_it(raw in props::attribute_text()) {
            let mut options = RatingOptions::default();
            let taken = options.set("article", &raw).is_ok();
            prop_assert_eq!(taken, bangtin_api::validate_article(&raw).is_ok());
            if taken {
                prop_assert_eq!(options.article, Some(ArticleKey(raw)));
            }
        }

        #[test]
        fn a_language_is_taken_exactly_when_its_primary_tag_is_vi_or_en(raw in props::attribute_text()) {
            let mut options = RatingOptions::default();
            let primary = raw.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
            prop_assert_eq!(options.set("lang", &raw).is_ok(), primary == "vi" || primary == "en");
        }
    }
}
