//! The rating widget in a real browser (wasm-bindgen-test in headless Chromium): its view, its
//! options, and its codec against the contract's serde derive. The end-to-end tests in
//! `tests/e2e` add the server.
#![allow(clippy::unwrap_used)]

use crate::widgets::test_dom::{host, text_of};

use super::codec;
use super::model::{Failure, Model, Msg, Tally};
use super::view::View;
use crate::api::ToJs;
use crate::i18n::Lang;
use bangtin_api::{
    CastVote, ErrorDetail, ItemError, RatingCounts, RatingFirst, RatingOutcome, RatingSummary,
    Scale,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

fn shadow_query(el: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    el.shadow_root().unwrap().query_selector(selector).unwrap()
}

fn ready_model(scale: Scale, count: u64, sum: u64, mine: Option<u8>) -> Model {
    let mut model = Model::new(scale);
    model.update(Msg::Loaded {
        tally: Tally { count, sum },
        mine,
    });
    model
}

#[wasm_bindgen_test]
fn a_ready_widget_shows_average_count_and_the_readers_vote() {
    let el = host("<p>fallback</p>");
    let view = View::new(&el, Lang::Vi, Scale::Stars).unwrap();
    view.render(&ready_model(Scale::Stars, 128, 550, Some(4)));
    assert_eq!(text_of(&el, ".summary"), "4,3/5 · 128 lượt bình chọn");
    let radios = el
        .shadow_root()
        .unwrap()
        .query_selector_all("[role=radio]")
        .unwrap();
    assert_eq!(radios.length(), 5);
    let checked = shadow_query(&el, "[aria-checked=true]").unwrap();
    assert_eq!(checked.get_attribute("aria-label").unwrap(), "4 sao");
    assert_eq!(
        checked.get_attribute("tabindex").unwrap(),
        "0",
        "roving tab stop on the vote"
    );
    let group = shadow_query(&el, "[role=radiogroup]").unwrap();
    let label_id = group.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        text_of(&el, &["#", &label_id].concat()),
        "Bạn đánh giá bài viết này thế nào?"
    );
    let slot: HtmlElement = shadow_query(&el, "slot").unwrap().dyn_into().unwrap();
    assert!(slot.hidden(), "fallback hidden once the widget is ready");
}

#[wasm_bindgen_test]
fn a_pending_vote_is_selected_and_announced_but_the_counts_stay_the_servers() {
    let el = host("");
    let view = View::new(&el, Lang::Vi, Scale::Stars).unwrap();
    let mut model = ready_model(Scale::Stars, 2, 6, None);
    model.update(Msg::Cast(5));
    view.render(&model);
    assert_eq!(text_of(&el, ".summary"), "3,0/5 · 2 lượt bình chọn");
    let checked = shadow_query(&el, "[aria-checked=true]").unwrap();
    assert_eq!(checked.get_attribute("aria-label").unwrap(), "5 sao");
    assert!(checked.class_list().contains("pending"));
    assert_eq!(text_of(&el, "[role=status]"), "Đang gửi bình chọn của bạn…");
}

#[wasm_bindgen_test]
fn a_failed_vote_offers_a_retry_button_in_the_readers_language() {
    let el = host("");
    let view = View::new(&el, Lang::En, Scale::Stars).unwrap();
    let mut model = ready_model(Scale::Stars, 0, 0, None);
    model.update(Msg::Cast(3));
    model.update(Msg::Failed(Failure::Timeout));
    view.render(&model);
    let retry: HtmlElement = shadow_query(&el, "button.retry")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(!retry.hidden());
    assert_eq!(retry.text_content().unwrap(), "Try again");
    assert_eq!(
        text_of(&el, "[role=status]"),
        "The server did not answer; your vote was not saved."
    );
    assert!(shadow_query(&el, "[aria-checked=true]").is_none());
    model.update(Msg::Retry);
    view.render(&model);
    assert!(retry.hidden());
}

#[wasm_bindgen_test]
fn an_english_thumbs_widget_names_its_choices() {
    let el = host("");
    let view = View::new(&el, Lang::En, Scale::Thumbs).unwrap();
    view.render(&ready_model(Scale::Thumbs, 15, 12, None));
    let labels: Vec<String> = ["[data-value='1']", "[data-value='0']"]
        .iter()
        .map(|s| {
            shadow_query(&el, s)
                .unwrap()
                .get_attribute("aria-label")
                .unwrap()
        })
        .collect();
    assert_eq!(labels, ["Like", "Dislike"]);
    assert_eq!(text_of(&el, ".summary"), "12 up · 3 down");
}

fn context(api: &str, lang: &str) -> JsValue {
    crate::api::object(&[("api", api.into()), ("lang", lang.into())])
}

/// A closed port (9, discard): no server, no mock.
const OFFLINE: &str = "http://127.0.0.1:9";

#[wasm_bindgen_test]
fn a_bad_option_falls_back_to_the_default_scale() {
    let el = host("");
    el.set_attribute("scale", "stras").unwrap();
    let handle = crate::mount(el.clone(), "rating", context(OFFLINE, "en"));
    let stars = el
        .shadow_root()
        .unwrap()
        .query_selector_all(".star")
        .unwrap();
    assert_eq!(stars.length(), 5, "stars, the default");
    crate::unmount(handle);
}

#[wasm_bindgen_test]
fn a_plain_attribute_wins_over_its_data_spelling() {
    let el = host("");
    el.set_attribute("data-scale", "stars").unwrap();
    el.set_attribute("scale", "thumbs").unwrap();
    el.set_attribute("data-lang", "en").unwrap();
    let handle = crate::mount(el.clone(), "rating", context(OFFLINE, "vi"));
    let thumbs = el
        .shadow_root()
        .unwrap()
        .query_selector_all(".thumb")
        .unwrap();
    assert_eq!(thumbs.length(), 2);
    assert_eq!(
        shadow_query(&el, ".panel")
            .unwrap()
            .get_attribute("lang")
            .unwrap(),
        "en"
    );
    crate::unmount(handle);
}

#[wasm_bindgen_test]
fn mounting_the_same_element_with_new_options_rebuilds_it_under_the_same_handle() {
    let el = host("");
    let first = crate::mount(el.clone(), "rating", context(OFFLINE, "vi"));
    el.set_attribute("scale", "thumbs").unwrap();
    let again = crate::mount(el.clone(), "rating", context(OFFLINE, "vi"));
    assert_eq!(first, again);
    let root = el.shadow_root().unwrap();
    assert_eq!(root.query_selector_all(".thumb").unwrap().length(), 2);
    assert_eq!(
        root.query_selector_all("[role=radiogroup]")
            .unwrap()
            .length(),
        1
    );
    // The same options again change nothing (no rebuild, no request).
    let group = shadow_query(&el, "[role=radiogroup]").unwrap();
    crate::mount(el.clone(), "rating", context(OFFLINE, "vi"));
    assert!(shadow_query(&el, "[role=radiogroup]").unwrap() == group);
    crate::unmount(first);
}

/// The wasm writes requests without serde; the server reads them with serde. They must agree.
#[wasm_bindgen_test]
fn requests_the_widget_writes_are_what_the_contract_reads() {
    let vote = CastVote {
        article: "xã-hội/cầu \"Bến Vạn\"".into(),
        scale: Scale::Thumbs,
        value: 1,
        reader: "0123456789abcdef0123456789abcdef".into(),
    };
    let json: String = js_sys::JSON::stringify(&vote.to_js()).unwrap().into();
    assert_eq!(serde_json::from_str::<CastVote>(&json).unwrap(), vote);
}

/// The server writes answers with serde; the wasm reads them without. They must agree.
#[wasm_bindgen_test]
fn answers_the_contract_writes_are_what_the_widget_reads() {
    let summary = RatingSummary {
        article: "a".into(),
        scale: Scale::Stars,
        count: 128,
        sum: 550,
        mine: Some(4),
    };
    let parsed = js_sys::JSON::parse(&serde_json::to_string(&summary).unwrap()).unwrap();
    assert_eq!(codec::read_summary(&parsed), Some(summary));

    let counts = RatingCounts {
        count: 2,
        sum: 9,
        mine: None,
    };
    let first = RatingFirst {
        key: "stars:/a".into(),
        outcome: RatingOutcome::Counts(counts.clone()),
    };
    let parsed = js_sys::JSON::parse(&serde_json::to_string(&first).unwrap()).unwrap();
    assert_eq!(codec::read_first(&parsed, "stars:/a"), Some(Ok(counts)));
    assert_eq!(codec::read_first(&parsed, "stars:/b"), None, "another key");
    let refused = RatingFirst {
        key: "stars:".into(),
        outcome: RatingOutcome::Failed(ItemError {
            error: ErrorDetail {
                code: "invalid_article".into(),
                message: "article must not be empty".into(),
            },
        }),
    };
    let parsed = js_sys::JSON::parse(&serde_json::to_string(&refused).unwrap()).unwrap();
    assert_eq!(
        codec::read_first(&parsed, "stars:"),
        Some(Err("invalid_article".to_string()))
    );
    for bad in [
        r#"{"key":"stars:/a","count":-1,"sum":1,"mine":null}"#,
        r#"{"key":"stars:/a","count":1.5,"sum":1,"mine":null}"#,
        r#"{"key":"stars:/a","count":1,"sum":1,"mine":300}"#,
        r#"{"key":"stars:/a"}"#,
        r#"{"count":1,"sum":1}"#,
        r#""stars:/a""#,
        r#"null"#,
    ] {
        let parsed = js_sys::JSON::parse(bad).unwrap();
        assert_eq!(codec::read_first(&parsed, "stars:/a"), None, "{bad}");
    }
}

/// Generated values of the contract, the ones JavaScript numbers can carry exactly (the server
/// never counts past 2^53).
mod generated {
    use super::*;
    use proptest::prelude::*;

    pub const SAFE: u64 = (1 << 53) - 1;

    pub fn scale() -> impl Strategy<Value = Scale> {
        prop::sample::select(Scale::ALL.to_vec())
    }

    pub fn summary() -> impl Strategy<Value = RatingSummary> {
        (
            any::<String>(),
            scale(),
            0..=SAFE,
            0..=SAFE,
            prop::option::of(1u8..=5),
        )
            .prop_map(|(article, scale, count, sum, mine)| RatingSummary {
                article,
                scale,
                count,
                sum,
                mine,
            })
    }

    pub fn vote() -> impl Strategy<Value = CastVote> {
        (any::<String>(), scale(), any::<u8>(), "[0-9a-f]{32}").prop_map(
            |(article, scale, value, reader)| CastVote {
                article,
                scale,
                value,
                reader,
            },
        )
    }
}

/// Property: whatever summary the server's serde writes, the wasm reads back exactly; whatever
/// vote the wasm writes, the server's serde reads back exactly (300 generated cases each).
#[wasm_bindgen_test]
fn the_codec_and_serde_agree_on_generated_values() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config::with_cases(300));
    runner
        .run(&generated::summary(), |summary| {
            let parsed = js_sys::JSON::parse(&serde_json::to_string(&summary).unwrap()).unwrap();
            proptest::prop_assert_eq!(codec::read_summary(&parsed), Some(summary.clone()));
            let first = RatingFirst {
                key: summary.article.clone(),
                outcome: RatingOutcome::Counts(RatingCounts {
                    count: summary.count,
                    sum: summary.sum,
                    mine: summary.mine,
                }),
            };
            let parsed = js_sys::JSON::parse(&serde_json::to_string(&first).unwrap()).unwrap();
            proptest::prop_assert!(matches!(
                codec::read_first(&parsed, &summary.article),
                Some(Ok(counts)) if counts.count == summary.count && counts.mine == summary.mine
            ));
            Ok(())
        })
        .unwrap();
    runner
        .run(&generated::vote(), |vote| {
            let json: String = js_sys::JSON::stringify(&vote.to_js()).unwrap().into();
            proptest::prop_assert_eq!(serde_json::from_str::<CastVote>(&json).unwrap(), vote);
            Ok(())
        })
        .unwrap();
}
