//! The ticker in a real browser (wasm-bindgen-test in headless Chromium): its view, the events
//! that stop its motion, and its codec against the contract's serde derive. The end-to-end
//! tests in `tests/e2e/ticker.spec.mjs` add the server.
#![allow(clippy::unwrap_used)]

use crate::widgets::test_dom::{count, host, query, text_of};

use super::codec;
use super::model::{self, lines, Mode, Model, Msg};
use super::view::View;
use crate::dom;
use crate::i18n::Lang;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use bangtin_api::ticker::{first_key, News, NewsItem, TickerFirst};
use bangtin_api::ErrorDetail;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement};

/// 2026-11-26 06:46 UTC: 13:46 in Hà Nội.
const AT: u64 = 1_795_675_560_000;
const OFFLINE: &str = "http://127.0.0.1:9";
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn item(id: &str, title: &str, url: &str) -> NewsItem {
    NewsItem {
        id: id.into(),
        title: title.into(),
        url: url.into(),
        published_at: Some(AT - 60_000),
        section: Some("Thời sự".into()),
        breaking: false,
    }
}

fn news() -> Vec<NewsItem> {
    let mut pinned = item("b1", "Bão số 9 đổ bộ", "https://bao.example/bao-so-9");
    pinned.breaking = true;
    let mut old = item("a2", HOSTILE, "javascript:alert(1)");
    old.published_at = Some(AT - 2 * 86_400_000);
    old.section = None;
    vec![
        pinned,
        item("a1", "Khánh thành cầu Bến Vạn", "https://bao.example/cau"),
        old,
        item("a3", "Giá lúa tăng", "data:text/html,<b>x</b>"),
    ]
}

fn ready(mode: Mode) -> Model {
    let mut model = Model::new(mode, false);
    model.update(Msg::Loaded {
        lines: lines(news(), AT, 30),
        now: AT,
    });
    model
}

/// The computed `property` of `el`.
fn computed(el: &Element, property: &str) -> String {
    let style = dom::call(&dom::window(), "getComputedStyle", &[el.clone().into()]).unwrap();
    dom::get_text(&style, property).unwrap()
}

/// What the browser's animations of `el` are doing ("running", "paused"), one word each.
fn play_states(el: &Element) -> Vec<String> {
    let animations: js_sys::Array = dom::call(el, "getAnimations", &[])
        .unwrap()
        .unchecked_into();
    animations
        .iter()
        .map(|a| dom::get_text(&a, "playState").unwrap())
        .collect()
}

/// Lets the event loop run once (promises settle, events are delivered); waits on no clock.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |done, _| {
        dom::call(
            &dom::window(),
            "setTimeout",
            &[done.into(), JsValue::from(0)],
        )
        .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// A ticker mounted the way the loader mounts it, its first news in the boot promise.
async fn mounted(attributes: &[(&str, &str)], lang: &str) -> (HtmlElement, u32) {
    let el = host("<p class=fallback>Tin mới</p>");
    for (name, value) in attributes {
        el.set_attribute(name, value).unwrap();
    }
    let first = TickerFirst {
        key: first_key("", 10),
        news: Some(News {
            feed: "tin-moi".into(),
            items: news(),
        }),
        error: None,
    };
    let first = js_sys::Promise::resolve(&parse(&serde_json::to_string(&first).unwrap()));
    let context = crate::api::object(&[
        ("api", OFFLINE.into()),
        ("lang", lang.into()),
        ("first", first.into()),
    ]);
    let handle = crate::mount(el.clone(), "ticker", context);
    assert_ne!(handle, 0);
    settle().await;
    (el, handle)
}

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn headlines_are_links_and_what_the_feed_wrote_stays_text() {
    let el = host("<p>fallback</p>");
    let view = View::new(&el, Lang::Vi, "Tin mới cập nhật", 60).unwrap();
    view.render(&ready(Mode::List));
    assert_eq!(text_of(&el, ".label"), "Tin mới cập nhật");
    // The pinned item leads, badged, as a real link.
    let pinned = query(&el, ".pin li");
    assert_eq!(
        pinned
            .query_selector(".hot")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Nóng"
    );
    let link = pinned.query_selector("a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").unwrap(),
        "https://bao.example/bao-so-9"
    );
    assert_eq!(link.text_content().unwrap(), "Bão số 9 đổ bộ");
    // The others: one http(s) link; the javascript: and data: ones are text without a link.
    assert_eq!(count(&el, ".view a"), 1);
    assert_eq!(
        query(&el, ".view a").get_attribute("href").unwrap(),
        "https://bao.example/cau"
    );
    assert_eq!(count(&el, "img"), 0, "markup in a title is not markup");
    assert_eq!(count(&el, "[href^=javascript],[href^=data]"), 0);
    let items = el
        .shadow_root()
        .unwrap()
        .query_selector_all(".view li")
        .unwrap();
    let texts: Vec<String> = (0..items.length())
        .map(|i| items.get(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "MớiKhánh thành cầu Bến Vạn13:45Thời sự".to_string(),
            [HOSTILE, "24/11"].concat(),
            "MớiGiá lúa tăng13:45Thời sự".to_string(),
        ]
    );
    let slot: HtmlElement = query(&el, "slot").dyn_into().unwrap();
    assert!(slot.hidden(), "the fallback goes once the news is there");
    assert_eq!(
        count(&el, ".pause:not([hidden])"),
        0,
        "a still list has nothing to pause"
    );
}

#[wasm_bindgen_test]
fn the_marquee_repeats_its_list_once_out_of_reach_of_assistive_technology_and_the_keyboard() {
    let el = host("");
    let view = View::new(&el, Lang::En, "Latest news", 50).unwrap();
    view.render(&ready(Mode::Scroll));
    let lists = el
        .shadow_root()
        .unwrap()
        .query_selector_all(".track ul")
        .unwrap();
    assert_eq!(lists.length(), 2);
    let copy: Element = lists.get(1).unwrap().dyn_into().unwrap();
    assert_eq!(copy.get_attribute("aria-hidden").unwrap(), "true");
    assert!(copy.has_attribute("inert"));
    assert_eq!(copy.text_content(), lists.get(0).unwrap().text_content());
    let first: HtmlElement = lists.get(0).unwrap().dyn_into().unwrap();
    assert_eq!(
        first.get_attribute("aria-labelledby").unwrap(),
        query(&el, ".label").id()
    );
    // One loop moves the track by one copy's width at the chosen speed.
    let track = query(&el, ".track");
    let ms = (f64::from(first.offset_width()) * 1000.0 / 50.0).max(1000.0) as u32;
    assert_eq!(
        computed(&track, "animationDuration"),
        [&(f64::from(ms) / 1000.0).to_string(), "s"].concat()
    );
    assert_eq!(play_states(&track), ["running"]);
    assert_eq!(text_of(&el, ".pause"), "Pause");
}

#[wasm_bindgen_test]
fn fade_mode_shows_one_headline_at_a_time() {
    let el = host("");
    let view = View::new(&el, Lang::Vi, "Tin", 60).unwrap();
    let mut model = ready(Mode::Fade);
    view.render(&model);
    assert_eq!(count(&el, ".fade li"), 3);
    assert_eq!(count(&el, ".fade li.on"), 1);
    assert_eq!(
        computed(&query(&el, ".fade li:not(.on)"), "visibility"),
        "hidden"
    );
    model.update(Msg::Tick);
    view.render(&model);
    let on = query(&el, ".fade li.on");
    assert_eq!(on.text_content().unwrap(), [HOSTILE, "24/11"].concat());
}

#[wasm_bindgen_test]
fn reduced_motion_shows_a_still_list_with_nothing_animated() {
    let el = host("");
    let view = View::new(&el, Lang::Vi, "Tin", 60).unwrap();
    let mut model = Model::new(Mode::Scroll, true);
    model.update(Msg::Loaded {
        lines: lines(news(), AT, 30),
        now: AT,
    });
    view.render(&model);
    assert_eq!(count(&el, ".track"), 0);
    assert_eq!(count(&el, ".view.list li"), 3);
    let animations: js_sys::Array = dom::call(&el.shadow_root().unwrap(), "getAnimations", &[])
        .unwrap()
        .unchecked_into();
    assert_eq!(animations.length(), 0);
}

#[wasm_bindgen_test]
fn a_failed_load_says_so_in_the_readers_language_and_keeps_the_fallback() {
    let el = host("<p>Tin mới (bản tĩnh)</p>");
    let view = View::new(&el, Lang::En, "Latest news", 60).unwrap();
    let mut model = Model::new(Mode::Scroll, false);
    model.update(Msg::LoadFailed);
    view.render(&model);
    assert_eq!(
        text_of(&el, "[role=status]"),
        "Could not load the latest news. Trying again…"
    );
    let slot: HtmlElement = query(&el, "slot").dyn_into().unwrap();
    assert!(!slot.hidden());
    model.update(Msg::Loaded {
        lines: Vec::new(),
        now: AT,
    });
    view.render(&model);
    assert_eq!(text_of(&el, "[role=status]"), "No news yet.");
    assert!(slot.hidden());
}

#[wasm_bindgen_test]
async fn the_pause_button_stops_the_marquee_and_play_starts_it_again() {
    let (el, handle) = mounted(&[], "vi").await;
    let track = query(&el, ".track");
    assert_eq!(play_states(&track), ["running"]);
    let button: HtmlElement = query(&el, "button.pause").dyn_into().unwrap();
    assert_eq!(button.text_content().unwrap(), "Tạm dừng");
    button.click();
    assert_eq!(play_states(&track), ["paused"]);
    assert_eq!(button.text_content().unwrap(), "Tiếp tục");
    button.click();
    assert_eq!(play_states(&track), ["running"]);
    assert_eq!(button.text_content().unwrap(), "Tạm dừng");
    crate::unmount(handle);
    assert_eq!(count(&el, "slot"), 1, "unmounted: the fallback is back");
}

#[wasm_bindgen_test]
async fn keyboard_focus_on_a_headline_pauses_until_it_leaves_the_headlines() {
    let (el, handle) = mounted(&[("mode", "scroll")], "en").await;
    let track = query(&el, ".track");
    let links = el
        .shadow_root()
        .unwrap()
        .query_selector_all(".track a")
        .unwrap();
    assert_eq!(links.length(), 2, "one link, twice; the copy is inert");
    let link: HtmlElement = query(&el, ".track a").dyn_into().unwrap();
    link.focus().unwrap();
    assert!(query(&el, ".panel").class_list().contains("held"));
    // The pinned link is a headline too: moving there keeps the pause.
    let pinned: HtmlElement = query(&el, ".pin a").dyn_into().unwrap();
    pinned.focus().unwrap();
    assert!(query(&el, ".panel").class_list().contains("held"));
    pinned.blur().unwrap();
    assert!(!query(&el, ".panel").class_list().contains("held"));
    assert_eq!(play_states(&track), ["running"]);
    crate::unmount(handle);
}

#[wasm_bindgen_test]
async fn a_hidden_tab_stops_the_motion_and_the_refresh_timer() {
    // Watch the page's timers: the refresh is the one of 7,000 ms (refresh="7").
    let watch = js_sys::eval(
        "(() => { const w = { set: [], cleared: [] }; const s = setTimeout, c = clearTimeout;
          window.setTimeout = (f, ms) => { const id = s(f, ms); w.set.push([id, ms]); return id; };
          window.clearTimeout = (id) => { w.cleared.push(id); c(id); };
          w.restore = () => { window.setTimeout = s; window.clearTimeout = c; };
          return w; })()",
    )
    .unwrap();
    let (el, handle) = mounted(&[("refresh", "7")], "vi").await;
    // Due 7 s after the news came, which was a moment ago.
    let refresh = js_sys::Array::from(&dom::get(&watch, "set"))
        .iter()
        .map(|t| js_sys::Array::from(&t))
        .find(|t| {
            t.get(1)
                .as_f64()
                .is_some_and(|ms| ms > 6_000.0 && ms <= 7_000.0)
        })
        .map(|t| t.get(0))
        .expect("a refresh is scheduled once the news is there");
    let cleared = || js_sys::Array::from(&dom::get(&watch, "cleared")).includes(&refresh, 0);
    assert!(!cleared());
    let doc = dom::document();
    js_sys::Reflect::define_property(
        &doc,
        &"hidden".into(),
        &parse(r#"{"value":true,"configurable":true}"#).unchecked_into(),
    )
    .unwrap();
    doc.dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
    assert!(cleared(), "nothing polls while the tab is hidden");
    assert_eq!(play_states(&query(&el, ".track")), ["paused"]);
    js_sys::Reflect::delete_property(&doc, &"hidden".into()).unwrap();
    doc.dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
    assert_eq!(play_states(&query(&el, ".track")), ["running"]);
    crate::unmount(handle);
    dom::call(&watch, "restore", &[]).unwrap();
}

#[wasm_bindgen_test]
async fn bad_options_keep_their_defaults_and_the_label_is_text() {
    let (el, handle) = mounted(&[("mode", "marquee"), ("label", HOSTILE)], "vi").await;
    assert_eq!(count(&el, ".track"), 1, "scroll, the default");
    assert_eq!(text_of(&el, ".label"), HOSTILE);
    assert_eq!(count(&el, "img"), 0);
    crate::unmount(handle);
}

/// The server writes answers with serde; the wasm reads them without. They must agree.
#[wasm_bindgen_test]
fn answers_the_contract_writes_are_what_the_widget_reads() {
    let items = news();
    let shown = lines(items.clone(), AT, 30);
    let answer = News {
        feed: "tin-moi".into(),
        items: items.clone(),
    };
    let parsed = parse(&serde_json::to_string(&answer).unwrap());
    assert_eq!(codec::read_lines(&parsed, AT, 30), Some(shown.clone()));
    for item in &items {
        let one = News {
            feed: "tin-moi".into(),
            items: vec![item.clone()],
        };
        let parsed = parse(&serde_json::to_string(&one).unwrap());
        assert_eq!(
            codec::read_lines(&parsed, AT, 30),
            Some(lines(vec![item.clone()], AT, 30)),
            "{item:?}"
        );
    }
    let first = TickerFirst {
        key: first_key("the-thao", 5),
        news: Some(answer),
        error: None,
    };
    let parsed = parse(&serde_json::to_string(&first).unwrap());
    assert_eq!(
        codec::read_first(&parsed, "the-thao:5", AT, 30),
        Some(Ok(shown))
    );
    assert_eq!(
        codec::read_first(&parsed, "the-thao:10", AT, 30),
        None,
        "another key"
    );
    let refused = TickerFirst {
        key: "nope:10".into(),
        news: None,
        error: Some(ErrorDetail {
            code: "unknown_feed".into(),
            message: "no feed named nope".into(),
        }),
    };
    let parsed = parse(&serde_json::to_string(&refused).unwrap());
    assert_eq!(
        codec::read_first(&parsed, "nope:10", AT, 30),
        Some(Err("unknown_feed".to_string()))
    );
    // Pinned first; an item of another shape is left out; an answer without items is none.
    let parsed = parse(
        r#"{"feed":"x","items":[{"id":"a","title":"A","url":"https://a"},{"id":"b","title":"B"},
            {"id":"c","title":"C","url":"https://c","published_at":-1},7,
            {"id":"p","title":"P","url":"https://p","breaking":true}]}"#,
    );
    let read = codec::read_lines(&parsed, AT, 30).unwrap();
    let ids: Vec<&str> = read.iter().map(|line| line.id.as_str()).collect();
    assert_eq!(ids, ["p", "a"]);
    assert!(read[0].breaking && !read[1].breaking);
    assert_eq!(model::shown(&read[1]).4, "", "no date, no time");
    for bad in [r#"{"feed":"x"}"#, r#"{"items":3}"#, "null", "[]"] {
        assert_eq!(codec::read_lines(&parse(bad), AT, 30), None, "{bad}");
    }
}

/// `view.js` reads the items (dates and links in JavaScript); what it makes of them is what the
/// model's rules (`Line::of`, tested natively) make of the same items: across the edges of a
/// Vietnamese day, a month, a year and a leap day, a clock a little ahead, every badge window
/// and every kind of address.
#[wasm_bindgen_test]
fn items_read_in_the_browser_follow_the_models_rules_across_the_edges_of_a_day() {
    const MINUTE: u64 = 60_000;
    const DAY: u64 = 1_440 * MINUTE;
    const VIETNAM: u64 = 420 * MINUTE;
    // Midnight in Hà Nội: before AT, and the turns of a month, a year and a leap day.
    let midnight = (AT + VIETNAM) / DAY * DAY - VIETNAM;
    let nows = [
        AT,
        midnight,
        midnight + DAY - MINUTE,
        1_767_200_400_000, // 2026-01-01 00:00 in Hà Nội
        1_835_370_000_000, // 2028-02-29 00:00 in Hà Nội
        1_835_456_400_000, // 2028-03-01 00:00 in Hà Nội
        0,
    ];
    let urls = [
        "https://bao.example/a",
        "HTTP://BAO.EXAMPLE/B",
        "http://",
        "javascript:alert(1)",
        " https://bao.example/space",
        "data:text/html,x",
        "ftp://bao.example/c",
        "",
    ];
    for now in nows {
        let mut items = Vec::new();
        for (i, back) in [
            None,
            Some(0),
            Some(MINUTE),
            Some(29 * MINUTE),
            Some(30 * MINUTE),
            Some(60 * MINUTE),
            Some(DAY - MINUTE),
            Some(DAY),
            Some(2 * DAY + 1),
            Some(400 * DAY),
        ]
        .into_iter()
        .enumerate()
        {
            let mut it = item(&i.to_string(), "Tin", urls[i % urls.len()]);
            it.published_at = back.map(|back| now.saturating_sub(back));
            it.breaking = i % 3 == 0;
            it.section = (i % 2 == 0).then(|| "Thời sự".into());
            items.push(it);
        }
        // A clock a little ahead: an item from five minutes and a day in the future.
        let mut ahead = item("ahead", "Tin", "https://a");
        ahead.published_at = Some(now + 5 * MINUTE);
        items.push(ahead);
        let mut tomorrow = item("tomorrow", "Tin", "https://a");
        tomorrow.published_at = Some(now + DAY);
        items.push(tomorrow);
        let answer = News {
            feed: "tin-moi".into(),
            items: items.clone(),
        };
        let parsed = parse(&serde_json::to_string(&answer).unwrap());
        for fresh in [0, 1, 30, 1440] {
            assert_eq!(
                codec::read_lines(&parsed, now, fresh),
                Some(lines(items.clone(), now, fresh)),
                "now {now}, fresh {fresh}"
            );
        }
    }
}
