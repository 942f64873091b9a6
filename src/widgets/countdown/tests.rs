//! The countdown in a real browser (wasm-bindgen-test in headless Chromium): the banner it
//! renders, text that stays text, the timer's name, and dismissal kept in localStorage. The
//! end-to-end tests (`tests/e2e/countdown.spec.mjs`) add the clock, the server and the page.
#![allow(clippy::unwrap_used)]

use crate::widgets::test_dom::{host, query as find, text_of};

use super::model::{After, Phase, Target, DAY, HOUR, VIETNAM};
use super::view::{Texts, View};
use crate::i18n::Lang;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

fn hidden(el: &web_sys::Element) -> bool {
    el.unchecked_ref::<HtmlElement>().hidden()
}

/// 30 April 2027, 00:00 in Vietnam.
const APRIL_30_2027: i64 = 1_809_018_000_000;
const APRIL_30: Target = Target::Solar {
    month: 4,
    day: 30,
    offset: VIETNAM,
};

const NO_TEXTS: Texts = Texts {
    title: None,
    href: None,
    image: None,
};

#[wasm_bindgen_test]
fn the_banner_shows_days_hours_minutes_seconds_and_the_date() {
    let el = host("<p>fallback</p>");
    let mut view = View::new(&el, Lang::Vi, APRIL_30, &NO_TEXTS).unwrap();
    let now = APRIL_30_2027 - (3 * DAY + 4 * HOUR + 5 * 60_000 + 6_000);
    view.render(
        Phase::Before { at: APRIL_30_2027 },
        now,
        After::Message,
        None,
    );
    assert_eq!(text_of(&el, ".title"), "Kỷ niệm 30/4");
    assert_eq!(text_of(&el, ".clock"), "3ngày04giờ05phút06giây");
    assert_eq!(text_of(&el, ".when"), "Thứ Sáu, 30/4/2027");
    let timer = find(&el, "[role=timer]");
    assert_eq!(
        timer.get_attribute("aria-label").unwrap(),
        "Thời gian còn lại đến Thứ Sáu, 30/4/2027"
    );
    assert_eq!(timer.get_attribute("aria-live").unwrap(), "off");
    assert_eq!(text_of(&el, "[role=status]"), "");
    let close = find(&el, "button");
    assert_eq!(close.get_attribute("aria-label").unwrap(), "Ẩn");
    assert_eq!(close.get_attribute("type").unwrap(), "button");
}

#[wasm_bindgen_test]
fn english_units_take_the_plural_and_the_moment_is_announced_once_when_it_comes() {
    let el = host("");
    let mut view = View::new(&el, Lang::En, APRIL_30, &NO_TEXTS).unwrap();
    view.render(
        Phase::Before { at: APRIL_30_2027 },
        APRIL_30_2027 - (DAY + HOUR + 60_000 + 1_000),
        After::Message,
        None,
    );
    assert_eq!(text_of(&el, ".clock"), "1day01hour01minute01second");
    view.render(
        Phase::Before { at: APRIL_30_2027 },
        APRIL_30_2027 - 2_000,
        After::Message,
        None,
    );
    assert_eq!(text_of(&el, ".clock"), "0days00hours00minutes02seconds");
    view.render(
        Phase::OnDay { at: APRIL_30_2027 },
        APRIL_30_2027,
        After::Message,
        None,
    );
    assert!(hidden(&find(&el, ".clock")));
    assert_eq!(text_of(&el, "[role=status]"), "The day is here!");
}

#[wasm_bindgen_test]
fn what_a_page_writes_is_text_and_links_are_the_pages() {
    let el = host("");
    let title = "<img src=x onerror=alert(1)> Tết";
    let texts = Texts {
        title: Some(title),
        href: Some("https://bao.example/tet"),
        image: Some("https://bao.example/mai.jpg"),
    };
    let tet = Target::Lunar { month: 1, day: 1 };
    let mut view = View::new(&el, Lang::Vi, tet, &texts).unwrap();
    let day = APRIL_30_2027;
    view.render(
        Phase::OnDay { at: day },
        day,
        After::Message,
        Some("<b>Chúc mừng</b>"),
    );
    assert_eq!(text_of(&el, ".title a"), title);
    assert_eq!(
        find(&el, ".title a").get_attribute("href").unwrap(),
        "https://bao.example/tet"
    );
    assert_eq!(text_of(&el, "[role=status]"), "<b>Chúc mừng</b>");
    let root = el.shadow_root().unwrap();
    assert!(root.query_selector("[role=status] *").unwrap().is_none());
    assert!(root.query_selector(".title img").unwrap().is_none());
    let image = find(&el, "img");
    assert_eq!(image.get_attribute("alt").unwrap(), "");
    assert_eq!(
        image.get_attribute("src").unwrap(),
        "https://bao.example/mai.jpg"
    );
}

#[wasm_bindgen_test]
fn a_passed_moment_hides_counts_up_or_says_so_as_configured() {
    let el = host("");
    let once = Target::Once {
        at: APRIL_30_2027,
        offset: VIETNAM,
    };
    let mut view = View::new(&el, Lang::Vi, once, &NO_TEXTS).unwrap();
    let over = Phase::Over { at: APRIL_30_2027 };
    let later = APRIL_30_2027 + 2 * DAY + 61_000;
    view.render(over, later, After::CountUp, None);
    assert_eq!(text_of(&el, ".clock"), "2ngày00giờ01phút01giây");
    assert!(find(&el, "[role=timer]")
        .get_attribute("aria-label")
        .unwrap()
        .starts_with("Thời gian đã qua kể từ"));
    view.render(over, later, After::Message, None);
    assert_eq!(text_of(&el, "[role=status]"), "Sự kiện đã diễn ra.");
    view.render(over, later, After::Hide, None);
    assert!(hidden(&find(&el, ".panel")));
}

fn context() -> JsValue {
    let ctx = js_sys::Object::new();
    js_sys::Reflect::set(&ctx, &"api".into(), &"http://127.0.0.1:9".into()).unwrap();
    ctx.into()
}

#[wasm_bindgen_test]
fn dismissal_is_stored_per_id_and_version_and_a_new_version_shows_again() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("bangtin:countdown:tet-test").unwrap();
    let el = host("<p>fallback</p>");
    for (name, value) in [("lunar", "01-01"), ("id", "tet-test"), ("version", "2027")] {
        el.set_attribute(name, value).unwrap();
    }
    let handle = crate::widgets::mount(el.clone(), "countdown", &context()).unwrap();
    assert!(!hidden(&find(&el, ".panel")));
    let label = find(&el, "[role=timer]")
        .get_attribute("aria-label")
        .unwrap();
    assert!(label.contains("Tết"), "{label}");
    find(&el, "button").unchecked_into::<HtmlElement>().click();
    assert!(hidden(&find(&el, ".panel")));
    assert_eq!(
        storage.get_item("bangtin:countdown:tet-test").unwrap(),
        Some("2027".into())
    );
    crate::widgets::unmount(handle);
    // Mounted again: still dismissed. A new version: shown again.
    let handle = crate::widgets::mount(el.clone(), "countdown", &context()).unwrap();
    assert!(hidden(&find(&el, ".panel")));
    crate::widgets::unmount(handle);
    el.set_attribute("version", "2028").unwrap();
    let handle = crate::widgets::mount(el.clone(), "countdown", &context()).unwrap();
    assert!(!hidden(&find(&el, ".panel")));
    crate::widgets::unmount(handle);
    storage.remove_item("bangtin:countdown:tet-test").unwrap();
}

#[wasm_bindgen_test]
fn without_a_target_it_refuses_to_start_and_the_fallback_stays() {
    let el = host("<p class=fallback>fallback</p>");
    assert!(crate::widgets::mount(el.clone(), "countdown", &context()).is_err());
    assert!(el
        .shadow_root()
        .is_none_or(|root| root.query_selector(".panel").unwrap().is_none()));
}

/// `Y-M-D h:m` in Vietnam, in ms since the epoch.
fn vn(y: i32, m: u8, d: u8, h: i64, min: i64) -> i64 {
    let day = bangtin_lunar::days_from_civil(bangtin_lunar::SolarDate::new(y, m, d));
    day * DAY - i64::from(VIETNAM) * 60_000 + h * HOUR + min * 60_000
}

#[wasm_bindgen_test]
fn dates_read_the_vietnamese_way_and_the_english_way() {
    use super::view::date_text;
    let day = APRIL_30_2027;
    assert_eq!(date_text(Lang::Vi, APRIL_30, day), "Thứ Sáu, 30/4/2027");
    assert_eq!(date_text(Lang::En, APRIL_30, day), "Friday, 30 April 2027");
    let at = day + 20 * HOUR + 5 * 60_000;
    let once = Target::Once {
        at,
        offset: VIETNAM,
    };
    assert_eq!(
        date_text(Lang::Vi, once, at),
        "Thứ Sáu, 30/4/2027 lúc 20:05"
    );
    assert_eq!(
        date_text(Lang::En, once, at),
        "Friday, 30 April 2027 at 20:05"
    );
    assert_eq!(
        date_text(Lang::Vi, APRIL_30, vn(2028, 4, 30, 0, 0)),
        "Chủ Nhật, 30/4/2028"
    );
}

#[wasm_bindgen_test]
fn lunar_dates_name_the_lunar_day_and_the_can_chi_year() {
    use super::view::date_text;
    let tet = Target::Lunar { month: 1, day: 1 };
    let at = vn(2027, 2, 6, 0, 0);
    assert_eq!(
        date_text(Lang::Vi, tet, at),
        "Mùng 1 Tết Đinh Mùi (Thứ Bảy, 6/2/2027)"
    );
    assert_eq!(
        date_text(Lang::En, tet, at),
        "Day 1 of Tết, year of Đinh Mùi (Saturday, 6 February 2027)"
    );
    let gio_to = Target::Lunar { month: 3, day: 10 };
    assert_eq!(
        date_text(Lang::Vi, gio_to, vn(2026, 4, 26, 0, 0)),
        "Mùng 10 tháng 3 năm Bính Ngọ (Chủ Nhật, 26/4/2026)"
    );
    let trung_thu = Target::Lunar { month: 8, day: 15 };
    assert_eq!(
        date_text(Lang::Vi, trung_thu, vn(2026, 9, 25, 0, 0)),
        "Ngày 15 tháng 8 năm Bính Ngọ (Thứ Sáu, 25/9/2026)"
    );
    assert_eq!(
        date_text(Lang::En, trung_thu, vn(2026, 9, 25, 0, 0)),
        "Day 15 of lunar month 8, year of Bính Ngọ (Friday, 25 September 2026)"
    );
}

#[wasm_bindgen_test]
fn the_timer_is_named_by_its_moment_and_its_direction() {
    let el = host("");
    let tet = Target::Lunar { month: 1, day: 1 };
    let at = vn(2027, 2, 6, 0, 0);
    let mut view = View::new(&el, Lang::Vi, tet, &NO_TEXTS).unwrap();
    view.render(Phase::Before { at }, at - DAY, After::Message, None);
    assert_eq!(
        find(&el, "[role=timer]")
            .get_attribute("aria-label")
            .unwrap(),
        "Thời gian còn lại đến Mùng 1 Tết Đinh Mùi (Thứ Bảy, 6/2/2027)"
    );
    let el = host("");
    let once = Target::Once {
        at,
        offset: VIETNAM,
    };
    let mut view = View::new(&el, Lang::En, once, &NO_TEXTS).unwrap();
    view.render(Phase::Over { at }, at + DAY, After::CountUp, None);
    assert_eq!(
        find(&el, "[role=timer]")
            .get_attribute("aria-label")
            .unwrap(),
        "Time since Saturday, 6 February 2027"
    );
}

#[wasm_bindgen_test]
fn the_clock_splits_a_duration_into_days_hours_minutes_seconds() {
    let el = host("");
    let mut view = View::new(&el, Lang::Vi, APRIL_30, &NO_TEXTS).unwrap();
    let numbers = |el: &HtmlElement| {
        let parts = el.shadow_root().unwrap().query_selector_all(".n").unwrap();
        (0..parts.length())
            .map(|i| parts.get(i).unwrap().text_content().unwrap())
            .collect::<Vec<_>>()
    };
    for (seconds, shown) in [
        (0, ["0", "00", "00", "00"]),
        (59, ["0", "00", "00", "59"]),
        (86_399, ["0", "23", "59", "59"]),
        (
            86_400 * 153 + 3_600 * 2 + 60 * 3 + 4,
            ["153", "02", "03", "04"],
        ),
    ] {
        let now = APRIL_30_2027 - seconds * 1_000;
        view.render(
            Phase::Before { at: APRIL_30_2027 },
            now,
            After::Message,
            None,
        );
        assert_eq!(numbers(&el), shown, "{seconds} s");
    }
}
