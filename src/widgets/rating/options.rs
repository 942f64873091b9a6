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
    use crate::config::Options;

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
}
