//! Browser tests of the widget crate: wasm-bindgen-test in headless Chromium (`cargo xtask test`).
//! They use the real DOM and the real `fetch`; the end-to-end tests in `tests/e2e` add the server.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use bangtin::i18n::{self, Lang};
use bangtin::widgets::rating::model::{Model, Msg, Tally};
use bangtin::widgets::rating::view::View;
use bangtin_api::Scale;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn host(html: &str) -> HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    el.set_inner_html(html);
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn shadow_query(el: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    el.shadow_root().unwrap().query_selector(selector).unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits up to 5 s for `done`.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        sleep(50).await;
    }
    done()
}

fn context(api: &str, lang: &str) -> JsValue {
    let ctx = js_sys::Object::new();
    js_sys::Reflect::set(&ctx, &"api".into(), &api.into()).unwrap();
    js_sys::Reflect::set(&ctx, &"lang".into(), &lang.into()).unwrap();
    ctx.into()
}

/// Mounts a rating widget that talks to a closed port (9, discard): no server, no mock.
fn mount_offline(el: &HtmlElement, config: JsValue, lang: &str) -> u32 {
    bangtin::mount(el.clone(), "rating", config, context(OFFLINE, lang)).unwrap()
}

const OFFLINE: &str = "http://127.0.0.1:9";

fn ready_model(count: u64, sum: u64, mine: Option<u8>) -> Model {
    let mut model = Model::new(Scale::Stars);
    model.update(Msg::Loaded {
        tally: Tally { count, sum },
        mine,
    });
    model
}

#[wasm_bindgen_test]
fn vietnamese_numbers_use_a_decimal_comma_and_dot_grouping() {
    assert_eq!(i18n::number(Lang::Vi, 4.3, 1), "4,3");
    assert_eq!(i18n::number(Lang::Vi, 1234.0, 0), "1.234");
    assert_eq!(i18n::number(Lang::En, 4.3, 1), "4.3");
}

#[wasm_bindgen_test]
fn ready_widget_shows_average_count_and_the_readers_vote() {
    let el = host("<p>fallback</p>");
    let view = View::new(&el, Lang::Vi, Scale::Stars).unwrap();
    view.render(&ready_model(128, 550, Some(4)));
    let summary = shadow_query(&el, ".summary").unwrap();
    assert_eq!(
        summary.text_content().unwrap(),
        "4,3/5 · 128 lượt bình chọn"
    );
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
    let label = shadow_query(&el, &["#", &label_id].concat()).unwrap();
    assert_eq!(
        label.text_content().unwrap(),
        "Bạn đánh giá bài viết này thế nào?"
    );
    let slot: HtmlElement = shadow_query(&el, "slot").unwrap().dyn_into().unwrap();
    assert!(slot.hidden(), "fallback hidden once the widget is ready");
}

#[wasm_bindgen_test]
fn english_thumbs_widget_names_its_choices() {
    let el = host("");
    let view = View::new(&el, Lang::En, Scale::Thumbs).unwrap();
    let mut model = Model::new(Scale::Thumbs);
    model.update(Msg::Loaded {
        tally: Tally { count: 15, sum: 12 },
        mine: None,
    });
    view.render(&model);
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
    assert_eq!(
        shadow_query(&el, ".summary")
            .unwrap()
            .text_content()
            .unwrap(),
        "12 up · 3 down"
    );
}

#[wasm_bindgen_test]
async fn unreachable_server_keeps_the_fallback_content_visible() {
    let el = host("<p id=fb>Bình chọn tạm thời không khả dụng</p>");
    let handle = mount_offline(&el, JsValue::UNDEFINED, "vi");
    let panel: HtmlElement = shadow_query(&el, ".panel").unwrap().dyn_into().unwrap();
    let slot: HtmlElement = shadow_query(&el, "slot").unwrap().dyn_into().unwrap();
    let failed =
        eventually(|| panel.get_attribute("data-phase").as_deref() == Some("failed")).await;
    assert!(failed, "the failed summary request is noticed");
    assert!(panel.hidden(), "widget stays hidden without a summary");
    assert!(!slot.hidden(), "fallback content stays visible");
    bangtin::unmount(handle);
}

#[wasm_bindgen_test]
fn unmount_releases_the_widget_and_shows_the_fallback_again() {
    let el = host("<p>fallback</p>");
    let before = bangtin::widgets::mounted();
    let handle = mount_offline(&el, JsValue::UNDEFINED, "vi");
    assert_eq!(bangtin::widgets::mounted(), before + 1);
    bangtin::unmount(handle);
    assert_eq!(bangtin::widgets::mounted(), before);
    let root = el.shadow_root().unwrap();
    assert_eq!(root.child_element_count(), 1);
    assert_eq!(root.first_element_child().unwrap().local_name(), "slot");
    bangtin::unmount(handle); // twice is harmless
                              // Mounting again into the same element reuses its shadow root.
    let again = mount_offline(&el, JsValue::UNDEFINED, "vi");
    assert_eq!(
        el.shadow_root()
            .unwrap()
            .query_selector_all("[role=radiogroup]")
            .unwrap()
            .length(),
        1
    );
    bangtin::unmount(again);
}

#[wasm_bindgen_test]
fn invalid_option_falls_back_to_the_default_scale() {
    let el = host("");
    el.set_attribute("scale", "stras").unwrap();
    let handle = mount_offline(&el, JsValue::UNDEFINED, "en");
    let radios = el
        .shadow_root()
        .unwrap()
        .query_selector_all(".star")
        .unwrap();
    assert_eq!(radios.length(), 5, "stars, the default");
    bangtin::unmount(handle);
}

#[wasm_bindgen_test]
fn config_object_wins_over_attributes() {
    let el = host("");
    el.set_attribute("scale", "stars").unwrap();
    let config = js_sys::Object::new();
    js_sys::Reflect::set(&config, &"scale".into(), &"thumbs".into()).unwrap();
    js_sys::Reflect::set(&config, &"lang".into(), &"en".into()).unwrap();
    let handle = mount_offline(&el, config.into(), "vi");
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
    bangtin::unmount(handle);
}

#[wasm_bindgen_test]
fn unknown_widget_kind_is_an_error_not_a_panic() {
    let el = host("");
    assert!(bangtin::mount(el, "ticker", JsValue::UNDEFINED, JsValue::UNDEFINED).is_err());
}

/// The wasm writes requests without serde; the server reads them with serde. They must agree.
#[wasm_bindgen_test]
fn requests_the_widget_writes_are_what_the_contract_reads() {
    use bangtin::api::ToJs;
    use bangtin_api::{CastVote, GetRatings, RatingKey};
    let vote = CastVote {
        article: "xã-hội/cầu \"Bến Vạn\"".into(),
        scale: Scale::Thumbs,
        value: 1,
        reader: "0123456789abcdef0123456789abcdef".into(),
    };
    let json: String = js_sys::JSON::stringify(&vote.to_js()).unwrap().into();
    assert_eq!(serde_json::from_str::<CastVote>(&json).unwrap(), vote);
    for reader in [None, Some("0123456789abcdef0123456789abcdef".to_string())] {
        let get = GetRatings {
            reader,
            items: vec![
                RatingKey {
                    article: "a".into(),
                    scale: Scale::Stars,
                },
                RatingKey {
                    article: "b".into(),
                    scale: Scale::Thumbs,
                },
            ],
        };
        let json: String = js_sys::JSON::stringify(&get.to_js()).unwrap().into();
        assert_eq!(serde_json::from_str::<GetRatings>(&json).unwrap(), get);
    }
}

/// The server writes answers with serde; the wasm reads them without. They must agree.
#[wasm_bindgen_test]
fn answers_the_contract_writes_are_what_the_widget_reads() {
    use bangtin::api::FromJs;
    use bangtin_api::{RatingSummaries, RatingSummary};
    let answer = RatingSummaries {
        summaries: vec![
            RatingSummary {
                article: "a".into(),
                scale: Scale::Stars,
                count: 128,
                sum: 550,
                mine: Some(4),
            },
            RatingSummary {
                article: "b".into(),
                scale: Scale::Thumbs,
                count: 0,
                sum: 0,
                mine: None,
            },
        ],
    };
    let parsed = js_sys::JSON::parse(&serde_json::to_string(&answer).unwrap()).unwrap();
    assert_eq!(RatingSummaries::from_js(&parsed), Some(answer));
    for bad in [
        r#"{"summaries":[{"article":"a","scale":"stras","count":1,"sum":1,"mine":null}]}"#,
        r#"{"summaries":[{"article":"a","scale":"stars","count":-1,"sum":1,"mine":null}]}"#,
        r#"{"summaries":[{"article":"a","scale":"stars","count":1.5,"sum":1,"mine":null}]}"#,
        r#"{"summaries":[{"article":"a","scale":"stars","count":1,"sum":1,"mine":300}]}"#,
        r#"{"summaries":{}}"#,
        r#"{}"#,
    ] {
        let parsed = js_sys::JSON::parse(bad).unwrap();
        assert_eq!(RatingSummaries::from_js(&parsed), None, "{bad}");
    }
}
