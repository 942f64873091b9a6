//! The feedback widget in a real browser (wasm-bindgen-test in headless Chromium): its view, its
//! draft, and its codec against the contract's serde derive. The end-to-end tests in
//! `tests/e2e` add the server and the moderation desk.
#![allow(clippy::unwrap_used)]

use crate::widgets::test_dom::{count, host, query, text_of};

use super::codec;
use super::model::{Form, Item, Model, Msg, Page};
use super::view::View;
use crate::i18n::Lang;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use bangtin_api::feedback::{
    FeedbackFirst, FeedbackPage, Field, LikeFeedback, Liked, NewsroomReply, PublishedFeedback,
    Sort, SubmitFeedback, Submitted, SubmittedStatus,
};
use bangtin_api::ErrorDetail;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

/// What a reader sees of one element: its text with its CSS `::before` and `::after` content
/// (the counter's maximum and the heading's brackets are drawn by the style sheet).
fn seen(el: &HtmlElement, selector: &str) -> String {
    let target = query(el, selector);
    let pseudo = js_sys::Function::new_with_args(
        "e,p",
        "const c = getComputedStyle(e, p).content; return c == 'none' || c == 'normal' ? '' : JSON.parse(c)",
    );
    let part = |which: &str| {
        pseudo
            .call2(&JsValue::NULL, &target, &JsValue::from_str(which))
            .unwrap()
            .as_string()
            .unwrap()
    };
    [
        part("::before"),
        target.text_content().unwrap(),
        part("::after"),
    ]
    .concat()
}

/// What the server's serde wrote, parsed by the browser.
macro_rules! parse {
    ($value:expr) => {
        js_sys::JSON::parse(&serde_json::to_string(&$value).unwrap()).unwrap()
    };
}

/// An item as the server sends it (2026-11-26 06:46 UTC: 13:46 in Hà Nội), read by the codec.
fn item_with(id: &str, name: &str, message: &str, replies: Vec<NewsroomReply>) -> Item {
    codec::read_item(&parse!(PublishedFeedback {
        id: id.into(),
        name: name.into(),
        message: message.into(),
        created_at: 1_795_675_560_000,
        likes: 3,
        liked: false,
        replies,
    }))
    .unwrap()
}

fn item(id: &str, name: &str, message: &str) -> Item {
    item_with(id, name, message, Vec::new())
}

fn ready(items: Vec<Item>) -> Model {
    let mut model = Model::new(Sort::Newest, Form::default());
    model.update(Msg::Loaded {
        page: Page {
            total: 12,
            items,
            next: Some("c1".into()),
            form: "token".into(),
        },
        more: false,
    });
    model
}

#[wasm_bindgen_test]
fn every_field_has_a_real_label_and_its_error_is_tied_to_it() {
    let el = host("<p>Ý kiến bạn đọc</p>");
    let view = View::new(&el, Lang::Vi).unwrap();
    let mut model = ready(Vec::new());
    model.update(Msg::Submit { id: "k".into() });
    view.render(&model);
    for (id, label) in [
        ("name", "Họ và tên"),
        ("email", "Email (không bắt buộc, không hiển thị)"),
        ("message", "Nội dung phản hồi"),
    ] {
        assert_eq!(text_of(&el, &["label[for=", id, "]"].concat()), label);
        let input = query(&el, &["#", id].concat());
        let described = input.get_attribute("aria-describedby").unwrap();
        assert!(described.contains(&[id, "-err"].concat()), "{described}");
    }
    let name = query(&el, "#name");
    assert_eq!(name.get_attribute("aria-invalid").unwrap(), "true");
    assert_eq!(text_of(&el, "#name-err"), "Xin nhập họ và tên.");
    assert_eq!(text_of(&el, "#message-err"), "Xin nhập nội dung phản hồi.");
    assert_eq!(text_of(&el, "#email-err"), "", "the email is optional");
    assert_eq!(seen(&el, "#message-count"), "0/3.000");
    // The honeypot is out of sight and out of the tab order.
    let trap = query(&el, "#website");
    assert_eq!(trap.get_attribute("tabindex").unwrap(), "-1");
    let hp: HtmlElement = trap.parent_element().unwrap().dyn_into().unwrap();
    assert_eq!(hp.offset_height(), 0);
}

#[wasm_bindgen_test]
fn published_items_show_name_time_text_and_replies_as_text() {
    let el = host("");
    let view = View::new(&el, Lang::Vi).unwrap();
    let evil = item_with(
        "a",
        "<img src=x onerror=alert(1)>",
        "Dòng một
Dòng hai <script>alert(1)</script>",
        vec![NewsroomReply {
            message: "Cảm ơn bạn đọc.".into(),
            created_at: 1_795_679_160_000,
        }],
    );
    view.render(&ready(vec![evil, item("b", "Bình", "Một ý kiến khác.")]));
    assert_eq!(
        [
            text_of(&el, "#list-h").trim_end_matches("12"),
            &seen(&el, "#list-h .total")
        ]
        .concat(),
        "Xem phản hồi (12)"
    );
    assert_eq!(count(&el, "li"), 2);
    assert_eq!(text_of(&el, "li .name"), "<img src=x onerror=alert(1)>");
    assert_eq!(
        text_of(&el, "li .text"),
        "Dòng một\nDòng hai <script>alert(1)</script>"
    );
    assert_eq!(count(&el, "img, script"), 0, "text, never markup");
    assert_eq!(text_of(&el, "li time"), "26/11/2026 13:46");
    assert_eq!(text_of(&el, ".reply .name"), "Tòa soạn trả lời");
    assert_eq!(text_of(&el, ".reply .text"), "Cảm ơn bạn đọc.");
    assert_eq!(text_of(&el, ".reply time"), "26/11/2026 14:46");
    let like = query(&el, "[data-like=b]");
    assert_eq!(like.text_content().unwrap(), "Thích · 3 lượt thích");
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "false");
    assert_eq!(
        query(&el, "[data-sort=newest]")
            .get_attribute("aria-pressed")
            .unwrap(),
        "true"
    );
    let more: HtmlElement = query(&el, ".more").dyn_into().unwrap();
    assert!(!more.hidden(), "a next page");
}

#[wasm_bindgen_test]
fn a_like_keeps_keyboard_focus_on_its_button() {
    let el = host("");
    let view = View::new(&el, Lang::En).unwrap();
    let mut model = ready(vec![
        item("a", "An", "Một ý kiến."),
        item("b", "Bình", "Hai."),
    ]);
    view.render(&model);
    let like: HtmlElement = query(&el, "[data-like=b]").dyn_into().unwrap();
    like.focus().unwrap();
    model.update(Msg::Like("b".into()));
    model.update(Msg::Liked {
        id: "b".into(),
        likes: 4,
    });
    view.render(&model);
    let focused = el.shadow_root().unwrap().active_element().unwrap();
    assert_eq!(focused.get_attribute("data-like").unwrap(), "b");
    assert_eq!(focused.get_attribute("aria-pressed").unwrap(), "true");
    assert_eq!(focused.text_content().unwrap(), "Like · 4 likes");
}

/// Fills the form's inputs as a reader would.
fn type_in(el: &HtmlElement, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        crate::dom::set(
            &query(el, &["[name=", name, "]"].concat()),
            "value",
            &(*value).into(),
        );
    }
}

fn value(el: &HtmlElement, name: &str) -> String {
    crate::dom::get_text(&query(el, &["[name=", name, "]"].concat()), "value").unwrap()
}

#[wasm_bindgen_test]
fn the_draft_is_kept_as_typed_and_a_sent_message_is_cleared() {
    let el = host("");
    let view = View::new(&el, Lang::Vi).unwrap();
    type_in(
        &el,
        &[
            ("name", "An"),
            ("email", ""),
            ("message", "Đang viết dở, chưa gửi."),
        ],
    );
    let key = "bangtin:draft:test";
    let fields = crate::dom::values(view.form(), key);
    assert_eq!(
        crate::api::text(&fields, "message").unwrap(),
        "Đang viết dở, chưa gửi."
    );
    assert!(
        crate::api::field(&fields, "email").is_none(),
        "empty fields are left out"
    );
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    assert!(storage
        .get_item(key)
        .unwrap()
        .unwrap()
        .contains("Đang viết dở"));
    // A fresh form (a reload) gets the draft back.
    let again = host("");
    let view2 = View::new(&again, Lang::Vi).unwrap();
    crate::dom::keep(view2.form(), key);
    assert_eq!(value(&again, "message"), "Đang viết dở, chưa gửi.");
    assert_eq!(value(&again, "name"), "An");

    let mut model = Model::new(
        Sort::Newest,
        Form {
            name: "An".into(),
            email: String::new(),
            message: "Đang viết dở, chưa gửi.".into(),
            id: String::new(),
        },
    );
    model.update(Msg::Loaded {
        page: Page::default(),
        more: false,
    });
    view.render(&model);
    assert_eq!(seen(&el, "#message-count"), "23/3.000");
    model.update(Msg::Submit { id: "k".into() });
    view.render(&model);
    assert_eq!(value(&el, "id"), "k", "the key goes with the draft");
    model.update(Msg::Sent(super::model::Sending::Pending));
    view.render(&model);
    assert_eq!(value(&el, "message"), "");
    assert_eq!(value(&el, "name"), "An", "kept for the next message");
    assert_eq!(
        text_of(&el, "form [role=status]"),
        "Phản hồi của bạn đã được gửi và đang chờ kiểm duyệt."
    );
    crate::dom::values(view.form(), key);
    assert!(!storage
        .get_item(key)
        .unwrap()
        .unwrap()
        .contains("Đang viết dở"));
    storage.remove_item(key).unwrap();
}

fn context(api: &str) -> JsValue {
    crate::api::object(&[("api", api.into()), ("lang", "vi".into())])
}

/// A closed port (9, discard): no server, no mock.
const OFFLINE: &str = "http://127.0.0.1:9";

#[wasm_bindgen_test]
fn a_draft_left_in_this_tab_is_back_after_a_reload() {
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    storage
        .set_item(
            "bangtin:draft:/bai-viet",
            r#"{"name":"An","email":"","message":"Chưa gửi\nhai dòng","id":""}"#,
        )
        .unwrap();
    let el = host("<p>fallback</p>");
    el.set_attribute("article", "/bai-viet").unwrap();
    let handle = crate::mount(el.clone(), "feedback", context(OFFLINE));
    assert_ne!(handle, 0);
    let message = query(&el, "#message");
    assert_eq!(
        crate::dom::get_text(&message, "value").unwrap(),
        "Chưa gửi\nhai dòng",
        "the message is read back whole, line breaks kept"
    );
    assert_eq!(
        crate::dom::get_text(&query(&el, "#name"), "value").unwrap(),
        "An"
    );
    // Without a server, the host's own content stays in view.
    let slot: HtmlElement = query(&el, "slot").dyn_into().unwrap();
    assert!(!slot.hidden());
    crate::unmount(handle);
    storage.remove_item("bangtin:draft:/bai-viet").unwrap();
}

/// The wasm writes requests without serde; the server reads them with serde. They must agree.
#[wasm_bindgen_test]
fn requests_the_widget_writes_are_what_the_contract_reads() {
    let el = host("");
    let view = View::new(&el, Lang::Vi).unwrap();
    let reader = "fedcba9876543210fedcba9876543210";
    for email in ["", " an@bao.vn "] {
        type_in(
            &el,
            &[
                ("name", "Nguyễn Văn An"),
                ("email", email),
                ("message", "Dòng một\nDòng hai"),
                ("id", "0123456789abcdef0123456789abcdef"),
            ],
        );
        let fields = crate::dom::values(view.form(), "bangtin:draft:contract");
        let body = codec::submit(&fields, "xã-hội/cầu \"Bến Vạn\"", reader, "t.1");
        let json: String = js_sys::JSON::stringify(&body).unwrap().into();
        let read = serde_json::from_str::<SubmitFeedback>(&json).unwrap();
        assert_eq!(
            read,
            SubmitFeedback {
                id: "0123456789abcdef0123456789abcdef".into(),
                article: "xã-hội/cầu \"Bến Vạn\"".into(),
                name: "Nguyễn Văn An".into(),
                // An email field drops the spaces around what was typed.
                email: (!email.is_empty()).then(|| email.trim().to_string()),
                message: "Dòng một\nDòng hai".into(),
                reader: reader.into(),
                form: "t.1".into(),
                website: String::new(),
            }
        );
    }
    let json: String = js_sys::JSON::stringify(&codec::like("f1", reader))
        .unwrap()
        .into();
    assert_eq!(
        serde_json::from_str::<LikeFeedback>(&json).unwrap(),
        LikeFeedback {
            id: "f1".into(),
            reader: reader.into()
        }
    );
}

fn published(id: &str) -> PublishedFeedback {
    PublishedFeedback {
        id: id.into(),
        name: "Bình".into(),
        message: "Một ý kiến.\nHai dòng.".into(),
        created_at: 1_795_675_560_000,
        likes: 7,
        liked: true,
        replies: vec![NewsroomReply {
            message: "Cảm ơn bạn.".into(),
            created_at: 1_795_679_160_000,
        }],
    }
}

/// Whether the codec's item is `p`: its key and likes read, the rest kept as sent.
fn is_item(item: &Item, p: &PublishedFeedback) -> bool {
    let raw = |key| crate::dom::get(&item.raw, key);
    item.id == p.id
        && item.likes == p.likes
        && item.liked == p.liked
        && !item.liking
        && raw("name").as_string().as_deref() == Some(p.name.as_str())
        && raw("message").as_string().as_deref() == Some(p.message.as_str())
        && crate::api::whole(&raw("created_at")) == Some(p.created_at)
}

/// The server writes answers with serde; the wasm reads them without. They must agree.
#[wasm_bindgen_test]
fn answers_the_contract_writes_are_what_the_widget_reads() {
    let page = FeedbackPage {
        article: "/a".into(),
        total: 11,
        items: vec![published("f1"), published("f2")],
        next: Some("1795675560000-f2".into()),
        form: "t.1".into(),
    };
    let first = FeedbackFirst {
        key: "newest:/a".into(),
        page: Some(page.clone()),
        error: None,
    };
    let read = codec::read_first(&parse!(first), "newest:/a")
        .unwrap()
        .unwrap();
    assert_eq!(read.total, 11);
    assert_eq!(read.next.as_deref(), Some("1795675560000-f2"));
    assert_eq!(read.form, "t.1");
    assert_eq!(read.items.len(), 2);
    assert!(is_item(&read.items[0], &page.items[0]));
    assert!(is_item(&read.items[1], &page.items[1]));
    assert!(
        codec::read_first(&parse!(first), "liked:/a").is_none(),
        "another key"
    );
    let refused = FeedbackFirst {
        key: "newest:".into(),
        page: None,
        error: Some(ErrorDetail {
            code: "invalid_article".into(),
            message: "article must not be empty".into(),
        }),
    };
    assert!(matches!(
        codec::read_first(&parse!(refused), "newest:"),
        Some(Err(code)) if code == "invalid_article"
    ));
    let pending = Submitted {
        id: "k".into(),
        status: SubmittedStatus::Pending,
        item: None,
    };
    assert_eq!(codec::read_submitted(&parse!(pending)), Some(false));
    let public = Submitted {
        id: "k".into(),
        status: SubmittedStatus::Published,
        item: Some(published("k")),
    };
    assert_eq!(codec::read_submitted(&parse!(public)), Some(true));
    let liked = Liked {
        id: "f1".into(),
        likes: 8,
        liked: true,
    };
    assert_eq!(
        codec::read_liked(&parse!(liked)),
        Some(("f1".to_string(), 8))
    );
    for bad in [
        r#"{"key":"newest:/a","article":"/a","total":-1,"items":[],"form":"t"}"#,
        r#"{"key":"newest:/a","article":"/a","total":1,"items":[{"id":"x"}],"form":"t"}"#,
        r#"{"key":"newest:/a","article":"/a","total":1,"items":[],"form":7}"#,
        r#"{"key":"newest:/a"}"#,
        r#""newest:/a""#,
        r#"null"#,
    ] {
        let parsed = js_sys::JSON::parse(bad).unwrap();
        assert!(codec::read_first(&parsed, "newest:/a").is_none(), "{bad}");
    }
    let _ = Field::Name;
}

/// Property: whatever page the server's serde writes (any text, any count JavaScript can carry),
/// the wasm reads its items, likes, total, cursor and token back exactly, and keeps the rest as
/// sent; whatever like the wasm writes, the server's serde reads back (200 generated cases).
#[wasm_bindgen_test]
fn the_codec_and_serde_agree_on_generated_values() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    const SAFE: u64 = (1 << 53) - 1;
    let reply = (any::<String>(), 0..=SAFE).prop_map(|(message, created_at)| NewsroomReply {
        message,
        created_at,
    });
    let item = (
        "[0-9a-z]{1,40}",
        any::<String>(),
        any::<String>(),
        0..=SAFE,
        0..=SAFE,
        any::<bool>(),
        prop::collection::vec(reply, 0..3),
    )
        .prop_map(
            |(id, name, message, created_at, likes, liked, replies)| PublishedFeedback {
                id,
                name,
                message,
                created_at,
                likes,
                liked,
                replies,
            },
        );
    let page = (
        any::<String>(),
        0..=SAFE,
        prop::collection::vec(item, 0..12),
        prop::option::of("[0-9a-z-]{1,40}"),
        any::<String>(),
    )
        .prop_map(|(article, total, items, next, form)| FeedbackPage {
            article,
            total,
            items,
            next,
            form,
        });
    let mut runner = TestRunner::new(Config::with_cases(200));
    runner
        .run(&page, |page| {
            let first = FeedbackFirst {
                key: page.article.clone(),
                page: Some(page.clone()),
                error: None,
            };
            let parsed = js_sys::JSON::parse(&serde_json::to_string(&first).unwrap()).unwrap();
            let read = codec::read_first(&parsed, &page.article);
            let Some(Ok(read)) = read else {
                return Err(TestCaseError::fail("the page was not read"));
            };
            prop_assert_eq!(read.total, page.total);
            prop_assert_eq!(&read.next, &page.next);
            prop_assert_eq!(&read.form, &page.form);
            prop_assert_eq!(read.items.len(), page.items.len());
            for (item, sent) in read.items.iter().zip(&page.items) {
                prop_assert!(is_item(item, sent), "{:?}", sent);
            }
            Ok(())
        })
        .unwrap();
    runner
        .run(&("[0-9a-z]{1,40}", "[0-9a-f]{32}"), |(id, reader)| {
            let json: String = js_sys::JSON::stringify(&codec::like(&id, &reader))
                .unwrap()
                .into();
            prop_assert_eq!(
                serde_json::from_str::<LikeFeedback>(&json).unwrap(),
                LikeFeedback { id, reader }
            );
            Ok(())
        })
        .unwrap();
}
