//! The browser section of `cargo xtask bench`: runs `xtask/bench/first-data.mjs` (Playwright in
//! Debian's Chromium against the server built with the `server` profile) and turns its JSON into
//! Markdown: first data cold and warm, on loopback and under 150 ms emulated round trips, the
//! request waterfalls, and what the widgets cost the page (long tasks, layout shift).

use crate::{root, step, Result};
use serde_json::Value;
use std::process::Command;

/// Runs the browser benchmark and returns its Markdown section.
pub fn run() -> Result<String> {
    step("browser: first data, waterfall, long tasks and layout shift (Playwright, Chromium)");
    let out = Command::new("node")
        .current_dir(root())
        .arg(root().join("xtask/bench/first-data.mjs"))
        .env(
            "BANGTIN_SERVER_BIN",
            root().join("target/server/bangtin-server"),
        )
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the browser benchmark failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let json: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("the browser benchmark printed no JSON: {e}"))?;
    Ok(render(&json))
}

fn num(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

fn spread(stats: &Value) -> String {
    format!(
        "{:.0} ms | {:.0}–{:.0} ms",
        num(&stats["median"]),
        num(&stats["min"]),
        num(&stats["max"])
    )
}

fn waterfall(rows: &Value) -> String {
    let mut out = String::from("| request | start (ms) | end (ms) |\n|---|---:|---:|\n");
    for row in rows.as_array().into_iter().flatten() {
        out.push_str(&format!(
            "| `{}` | {:.0} | {:.0} |\n",
            row["url"].as_str().unwrap_or("?"),
            num(&row["start"]),
            num(&row["end"])
        ));
    }
    out
}

/// The browser section as Markdown.
pub fn render(json: &Value) -> String {
    let rtt = num(&json["rtt"]);
    let runs = num(&json["runs"]);
    let mut out = String::from("## First data in the browser\n\n");
    out.push_str(&format!(
        "`xtask/bench/first-data.mjs`: Chromium (Debian) loads a newspaper article on a second \
         loopback origin with one rating above the fold, {runs:.0} times per row. *First data* is \
         the time from navigation start to the first animation frame in which the widget shows \
         its counts. *Cold*: a new browser context (empty cache); *warm*: the same context, \
         second visit. *Emulated*: Chromium's DevTools network emulation adds {rtt:.0} ms to every \
         request. Targets (issue 6): loopback median ≤ 100 ms warm and ≤ 150 ms cold; emulated \
         ≤ 3.5 round trips cold and ≤ 2.3 warm.\n\n"
    ));
    out.push_str("| network | cache | first data, median | min–max | round trips (median ÷ RTT) | the page's own first paint, median | first data after it |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (network, label) in [("loopback", "loopback"), ("emulated", "emulated 150 ms")] {
        for cache in ["cold", "warm"] {
            let stats = &json[network][cache];
            let paint = num(&json[network][&format!("{cache}Paint")]["median"]);
            let trips = if network == "emulated" {
                format!("{:.1}", num(&stats["median"]) / rtt)
            } else {
                "—".into()
            };
            out.push_str(&format!(
                "| {label} | {cache} | {} | {trips} | {paint:.0} ms | {:.0} ms |\n",
                spread(stats),
                num(&stats["median"]) - paint
            ));
        }
    }
    out.push_str(
        "\nThe widget can only know it is near the viewport once the page has laid itself out \
         (its IntersectionObserver reports after the first rendering), so *the page's own first \
         paint* — measured in the same runs, and about the same on this page without bangtin — \
         bounds how early the data can appear on this 2-core VM's headless Chromium.\n",
    );
    if json["floor"].is_object() {
        out.push_str(
            "\n**The network floor.** The same article with a ten-line script in bangtin's place \
             (`tests/e2e/host/floor.js`, from the page's own origin) that, when the element comes \
             near the viewport, fetches what the loader fetches then — the boot answer, the wasm, \
             the glue, at once — and nothing else: no compiling, no evaluating, no mounting. It is \
             what the network and this machine's browser cost before any of bangtin's own work; \
             *bangtin's own time* is first data minus it.\n\n\
             | network | cache | bangtin, median | floor, median | floor min–max | floor round trips | bangtin's own time |\n\
             |---|---|---:|---:|---:|---:|---:|\n",
        );
        for (network, label) in [("loopback", "loopback"), ("emulated", "emulated 150 ms")] {
            for cache in ["cold", "warm"] {
                let ours = num(&json[network][cache]["median"]);
                let floor = &json["floor"][network][cache];
                let trips = if network == "emulated" {
                    format!("{:.1}", num(&floor["median"]) / rtt)
                } else {
                    "—".into()
                };
                out.push_str(&format!(
                    "| {label} | {cache} | {ours:.0} ms | {:.0} ms | {:.0}–{:.0} ms | {trips} | {:.0} ms |\n",
                    num(&floor["median"]),
                    num(&floor["min"]),
                    num(&floor["max"]),
                    ours - num(&floor["median"]),
                ));
            }
        }
    }
    out.push_str(
        "\nBefore this change (issue 6's measurements, one rating on the same kind of page): \
         377 ms cold and 269 ms warm on loopback; 1,014 ms cold (6.8 round trips: the HTML, the \
         loader, the glue, the wasm, a CORS preflight and the summary, one after another) and \
         415 ms warm under emulation.\n",
    );
    for (network, label) in [("loopback", "loopback"), ("emulated", "emulated 150 ms")] {
        for cache in ["cold", "warm"] {
            out.push_str(&format!(
                "\nRequest waterfall, {label}, {cache} (the last run; times from navigation start):\n\n"
            ));
            out.push_str(&waterfall(&json[network][&format!("{cache}Waterfall")]));
        }
    }
    out.push_str(
        "\n### What the widgets cost the page\n\nThe same article with the widget and without \
         bangtin at all (its place kept by the page's CSS, as the README asks), over the first \
         1.5 s after `load`: total main-thread long tasks (over 50 ms) and cumulative layout \
         shift.\n\n| page | long tasks, median (min–max) | CLS, median (min–max) |\n|---|---:|---:|\n",
    );
    for (key, label) in [
        ("withWidgets", "with the rating"),
        ("withoutWidgets", "without bangtin"),
    ] {
        let cost = &json[key];
        out.push_str(&format!(
            "| {label} | {:.0} ms ({:.0}–{:.0}) | {:.3} ({:.3}–{:.3}) |\n",
            num(&cost["longTaskMs"]["median"]),
            num(&cost["longTaskMs"]["min"]),
            num(&cost["longTaskMs"]["max"]),
            num(&cost["cls"]["median"]),
            num(&cost["cls"]["min"]),
            num(&cost["cls"]["max"]),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_shows_medians_round_trips_and_waterfalls() {
        let stats = serde_json::json!({"runs": 9, "median": 450.0, "min": 440.0, "max": 470.0});
        let rows = serde_json::json!([{"url": "/api/v1/boot?…", "start": 301.0, "end": 452.0}]);
        let network = serde_json::json!({"cold": stats, "warm": stats, "coldPaint": stats, "warmPaint": stats, "coldWaterfall": rows, "warmWaterfall": rows});
        let cost = serde_json::json!({"longTaskMs": stats, "cls": {"median": 0.0, "min": 0.0, "max": 0.0}});
        let json = serde_json::json!({
            "runs": 9, "rtt": 150, "loopback": network, "emulated": network,
            "withWidgets": cost, "withoutWidgets": cost,
            "floor": {"loopback": network, "emulated": {"cold": {"runs": 9, "median": 420.0, "min": 400.0, "max": 480.0}, "warm": stats}},
        });
        let md = render(&json);
        assert!(
            md.contains("| emulated 150 ms | cold | 450 ms | 440–470 ms | 3.0 | 450 ms | 0 ms |"),
            "{md}"
        );
        assert!(md.contains("| `/api/v1/boot?…` | 301 | 452 |"), "{md}");
        assert!(
            md.contains("| emulated 150 ms | cold | 450 ms | 420 ms | 400–480 ms | 2.8 | 30 ms |"),
            "{md}"
        );
        assert!(
            md.contains("| with the rating | 450 ms (440–470) | 0.000 (0.000–0.000) |"),
            "{md}"
        );
    }
}
