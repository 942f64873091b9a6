//! The countdown's cases for the randomized HTTP test: the server's clock, asked as the widget
//! asks (no parameters) and as pages may ask (cache busters, odd query strings), and the boot
//! request with countdowns among other widgets.

use axum::http::Method;
use bangtin_api::countdown::TIME_PATH;
use bangtin_api::{Boot, BootWidget, BOOT_PATH};

use super::random::{Endpoint, Gen, Valid};

/// The countdown's endpoints: its time route, and its share of the boot request.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            name: "time",
            method: Method::GET,
            path: TIME_PATH,
            valid: valid_time,
        },
        Endpoint {
            name: "boot (countdown)",
            method: Method::GET,
            path: BOOT_PATH,
            valid: valid_boot,
        },
    ]
}

/// The widget sends no query; anything a page or a proxy adds is ignored.
fn valid_time(g: &mut Gen) -> Valid {
    if g.chance(0.5) {
        Valid::empty()
    } else {
        let junk = g.odd_text();
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("t", &junk)
            .finish();
        Valid::query(query)
    }
}

/// A boot request for countdowns with the attributes pages write (odd values included: the
/// server only answers with its time).
fn valid_boot(g: &mut Gen) -> Valid {
    let widgets = (0..g.between(1, 4))
        .map(|_| {
            let mut params = Vec::new();
            for (name, values) in [
                ("lunar", ["01-01", "08-15", "13-40"]),
                ("every", ["04-30", "09-02", "02-29"]),
                (
                    "to",
                    ["2027-04-30T00:00:00+07:00", "2027-01-01T00:00:00Z", "x"],
                ),
                ("title", ["Đếm ngược Tết", "<b>x</b>", "\u{202E}abc"]),
            ] {
                if g.chance(0.5) {
                    params.push((name.to_owned(), (*g.pick(&values)).to_owned()));
                }
            }
            if g.chance(0.2) {
                params.push(("message".to_owned(), g.odd_text()));
            }
            BootWidget {
                kind: "countdown".to_owned(),
                params,
            }
        })
        .collect();
    let boot = Boot {
        page: Some("/".to_owned()),
        reader: None,
        widgets,
    };
    Valid::query(boot.query())
}
