//! The article a widget is about (the rating, the feedback): its key, an option checked with the
//! rule the server applies, and the page's own key when none is given.

use crate::config::OptValue;
use crate::dom;
use alloc::string::String;

/// An article key, checked with the same rule the server applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleKey(pub String);

impl OptValue for ArticleKey {
    const TYPE: &'static str = "string";
    const ALLOWED: &'static str =
        "1 to 512 characters without control characters or surrounding spaces";
    fn parse(raw: &str) -> Option<Self> {
        bangtin_api::validate_article(raw)
            .ok()
            .map(|()| ArticleKey(raw.into()))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// The article a widget is about, in NFC: its `article` option, else the page's own key — its
/// `<link rel="canonical">` URL, else its path. (The server resolves a boot request the same way,
/// from the `page` the loader sends.)
pub fn resolve(option: Option<ArticleKey>) -> String {
    dom::nfc(
        &option
            .map(|ArticleKey(key)| key)
            .unwrap_or_else(page_article),
    )
}

/// The article key a page implies: its canonical URL, else its path.
fn page_article() -> String {
    let doc = dom::document();
    if let Ok(Some(link)) = doc.query_selector("link[rel=canonical][href]") {
        if let Some(href) = dom::get_text(&link, "href") {
            if bangtin_api::validate_article(&href).is_ok() {
                return href;
            }
        }
    }
    dom::get_text(&dom::get(&dom::window(), "location"), "pathname").unwrap_or_else(|| "/".into())
}
