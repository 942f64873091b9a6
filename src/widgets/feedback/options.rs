//! The options of `<bangtin-feedback>`.

use crate::article::ArticleKey;
use crate::config::OptValue;
use crate::i18n::Lang;
use bangtin_api::feedback::Sort;

crate::widget_options! {
    /// Options of `<bangtin-feedback>`, as attributes or in `bangtin('mount', element, {…})`.
    pub struct FeedbackOptions for "feedback" {
        /// The article the feedback is about. Default: the page's `<link rel="canonical">` URL, else its path.
        article: Option<ArticleKey> = None,
        /// The list's first order: the newest first, or the most liked first.
        sort: Sort = Sort::Newest,
        /// Language of the widget. Default: the loader's `data-lang`, else the page's `<html lang>`.
        lang: Option<Lang> = None,
    }
}

impl OptValue for Sort {
    const TYPE: &'static str = "enum";
    const ALLOWED: &'static str = "\"newest\" or \"liked\"";
    fn parse(raw: &str) -> Option<Self> {
        Sort::parse(raw)
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
        let spec = FeedbackOptions::spec();
        let names: Vec<_> = spec.iter().map(|row| row.name).collect();
        assert_eq!(names, ["article", "sort", "lang"]);
        assert_eq!(spec[1].default, "newest");
    }

    #[test]
    fn bad_option_values_keep_the_default_and_say_what_is_allowed() {
        let mut options = FeedbackOptions::default();
        assert_eq!(
            options.set("sort", "oldest"),
            Err("\"newest\" or \"liked\"")
        );
        assert_eq!(options.sort, Sort::Newest);
        assert_eq!(options.set("sort", "liked"), Ok(()));
        assert_eq!(options.sort, Sort::Liked);
        assert!(options.set("article", " x").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_attribute_text_is_taken_whole_or_refused_changing_nothing(
            name in prop::sample::select(vec!["article", "sort", "lang", "bogus", ""]),
            raw in props::attribute_text(),
        ) {
            props::set_is_all_or_nothing(&FeedbackOptions::default(), name, &raw)?;
        }

        #[test]
        fn a_sort_is_taken_exactly_as_documented(raw in props::attribute_text()) {
            let mut options = FeedbackOptions::default();
            prop_assert_eq!(options.set("sort", &raw).is_ok(), raw == "newest" || raw == "liked");
        }

        #[test]
        fn an_article_is_taken_exactly_when_the_server_takes_it(raw in props::attribute_text()) {
            let mut options = FeedbackOptions::default();
            prop_assert_eq!(
                options.set("article", &raw).is_ok(),
                bangtin_api::validate_article(&raw).is_ok()
            );
        }
    }
}
