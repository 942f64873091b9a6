//! `cargo xtask bench`: bundle sizes and a bounded loopback load test; writes BENCHMARKS.md.
//!
//! A benchmark reports; it never passes or fails. The load comes from `wrk` (Debian) against the
//! server built with the `server` profile on a fresh SQLite database, with a minimal axum
//! hello-world measured in the same run as the ceiling.

use crate::bundle;
use crate::{cargo, root, setup, step, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const SECONDS: u32 = 5;
const CONNECTIONS: [u32; 3] = [1, 16, 64];

/// A server process that is killed when dropped.
struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `bin` and waits for its `bangtin listening on URL` line.
fn start(bin: &Path, args: &[&str]) -> Result<Running> {
    let mut child = Command::new(bin)
        .current_dir(root())
        .args(args)
        .env("RUST_LOG", "warn")
        .env(
            "BANGTIN_SECRET",
            "bench-secret-bench-secret-bench-secret-0123",
        )
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().expect("unreachable: stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("bangtin listening on ") {
                    break url.trim_end_matches('/').to_string();
                }
            }
            _ => {
                let _ = child.kill();
                return Err(format!("{} exited before listening", bin.display()));
            }
        }
    };
    Ok(Running { child, url })
}

/// One wrk run's figures.
struct Load {
    scenario: &'static str,
    connections: u32,
    requests_per_sec: f64,
    p50: String,
    p99: String,
    errors: u64,
}

fn wrk(scenario: &'static str, url: &str, script: Option<&Path>, connections: u32) -> Result<Load> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t",
        &connections.min(2).to_string(),
        "-c",
        &connections.to_string(),
        "-d",
        &format!("{SECONDS}s"),
        "--latency",
    ]);
    if let Some(script) = script {
        cmd.arg("-s").arg(script);
    }
    cmd.arg(url);
    let out = cmd.output().map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("wrk failed: {text}"));
    }
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.split_whitespace().next().unwrap_or_default().to_string())
    };
    // "Socket errors: connect 0, read 0, write 0, timeout 0": add the four numbers.
    let socket_errors: u64 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Socket errors:"))
        .map(|counts| {
            counts
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    let errors = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        + socket_errors;
    Ok(Load {
        scenario,
        connections,
        requests_per_sec: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
        errors,
    })
}

fn status_kb(pid: u32, key: &str) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
        })
        .unwrap_or_else(|| "?".into())
}

fn command_line(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// Runs the benchmark and writes BENCHMARKS.md.
pub fn run() -> Result {
    setup::for_bundle()?;
    setup::for_bench()?;
    setup::for_browser_tests()?;
    let full = bundle::build()?;
    let added = bundle::measure_widgets(&full, &[])?;

    step("server and hello-world ceiling (profile `server`)");
    crate::run(cargo().args([
        "build",
        "-p",
        "bangtin-server",
        "--profile",
        "server",
        "--bin",
        "bangtin-server",
        "--example",
        "hello",
    ]))?;
    let browser = crate::browser::run()?;
    let tmp = root().join("target/bench-tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let db = format!("sqlite://{}", tmp.join("bench.db").display());
    let server = start(
        &root().join("target/server/bangtin-server"),
        &[
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db,
            "--write-rate-limit",
            "0",
        ],
    )?;
    let hello = start(&root().join("target/server/examples/hello"), &[])?;

    let vote_lua = tmp.join("vote.lua");
    std::fs::write(&vote_lua, VOTE_LUA).map_err(|e| e.to_string())?;

    step(&format!(
        "load: {SECONDS} s per run at {CONNECTIONS:?} connections"
    ));
    let votes = format!("{}{}", server.url, bangtin_api::VOTES_PATH);
    let read_1 = read_url(&server.url, 1);
    let read_50 = read_url(&server.url, 50);
    let boot_50 = boot_url(&server.url, 50);
    let hello_url = format!("{}/", hello.url);
    let scenarios: [(&'static str, &str, Option<&Path>); 5] = [
        ("hello world (ceiling)", &hello_url, None),
        ("vote write (new reader each)", &votes, Some(&vote_lua)),
        ("ratings read, 1 rating", &read_1, None),
        ("ratings read, 50 ratings", &read_50, None),
        ("boot: first data of 50 ratings", &boot_50, None),
    ];
    let mut loads = Vec::new();
    for (name, url, script) in scenarios {
        for c in CONNECTIONS {
            let load = wrk(name, url, script, c)?;
            println!(
                "    {name:<32} c={c:<3} {:>9.0} req/s  p50 {:>9}  p99 {:>9}  errors {}",
                load.requests_per_sec, load.p50, load.p99, load.errors
            );
            loads.push(load);
        }
    }
    let pid = server.child.id();
    let rss = status_kb(pid, "VmRSS:");
    let peak = status_kb(pid, "VmHWM:");
    drop(server);
    drop(hello);

    // The sizes of the report being replaced: each budget line shows where it came from.
    let previous = std::fs::read_to_string(root().join("BENCHMARKS.md"))
        .map(|old| previous_sizes(&old))
        .unwrap_or_default();
    let mut report = report(&full, &added, &loads, &rss, &peak, &previous);
    report.push('\n');
    report.push_str(&browser);
    std::fs::write(root().join("BENCHMARKS.md"), report).map_err(|e| e.to_string())?;
    println!("\nwrote BENCHMARKS.md");
    Ok(())
}

const VOTE_LUA: &str = r#"-- one vote per request, each from a new random reader
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local hex = "0123456789abcdef"
request = function()
  local id = {}
  for i = 1, 32 do
    local r = math.random(1, 16)
    id[i] = hex:sub(r, r)
  end
  local body = '{"article":"bench/article-' .. math.random(0, 49) .. '","scale":"stars","value":'
    .. math.random(1, 5) .. ',"reader":"' .. table.concat(id) .. '"}'
  return wrk.format(nil, nil, nil, body)
end
"#;

const BENCH_READER: &str = "0123456789abcdef0123456789abcdef";

/// `GET /api/v1/ratings` for `articles` ratings, by one reader (so `mine` is looked up).
fn read_url(base: &str, articles: usize) -> String {
    let request = bangtin_api::GetRatings {
        reader: Some(BENCH_READER.into()),
        items: (0..articles)
            .map(|i| bangtin_api::RatingKey {
                article: format!("bench/article-{i}"),
                scale: bangtin_api::Scale::Stars,
            })
            .collect(),
    };
    format!("{base}{}?{}", bangtin_api::RATINGS_PATH, request.query())
}

/// The loader's `GET /api/v1/boot` for a page of `articles` rating widgets.
fn boot_url(base: &str, articles: usize) -> String {
    let boot = bangtin_api::Boot {
        page: Some("/bench/page.html".into()),
        reader: Some(BENCH_READER.into()),
        widgets: (0..articles)
            .map(|i| bangtin_api::BootWidget {
                kind: "rating".into(),
                params: vec![("article".into(), format!("bench/article-{i}"))],
            })
            .collect(),
    };
    format!("{base}{}?{}", bangtin_api::BOOT_PATH, boot.query())
}

/// The budget table of a previous report: what (`loader`, `what feedback adds`, …) → brotli bytes.
fn previous_sizes(report: &str) -> std::collections::BTreeMap<String, String> {
    report
        .lines()
        .skip_while(|l| !l.starts_with("| budget | measured |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Some((cells.get(1)?.to_string(), cells.get(2)?.to_string()))
        })
        .collect()
}

fn report(
    full: &bundle::Built,
    added: &[bundle::Added],
    loads: &[Load],
    rss: &str,
    peak: &str,
    previous: &std::collections::BTreeMap<String, String>,
) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mut out = String::new();
    out.push_str(
        "# Benchmarks\n\nWritten by `cargo xtask bench` (do not edit by hand; rerun it). ",
    );
    out.push_str("A benchmark reports, it does not pass or fail.\n\n");
    out.push_str(&format!(
        "- Machine: {} cores, {cpu}\n- Toolchain: {}, wasm-bindgen {}, {}\n\n",
        command_line("nproc", &[]),
        command_line("rustc", &["--version"]),
        setup::locked_wasm_bindgen().unwrap_or_default(),
        command_line(
            &setup::node_bin("wasm-opt").to_string_lossy(),
            &["--version"]
        ),
    ));
    out.push_str("## Bundle size (bytes)\n\nWhat a page with widgets downloads: the loader (`/bangtin.js`), the wasm-bindgen glue and the wasm, ");
    out.push_str("built with `opt-level = \"z\"`, `wasm-opt -Oz` (imports and exports renamed to short names) and esbuild. ");
    out.push_str("Budgets are brotli bytes, enforced by `cargo xtask test`.\n");
    out.push_str(&bundle::table(&full.sizes));
    out.push_str("\n| budget | measured | previous report | limit | |\n|---|---:|---:|---:|---|\n");
    for (line, ok) in bundle::budget_lines(full, added) {
        let (what, rest) = line.split_once(": ").unwrap_or((&line, ""));
        let measured = rest.split_whitespace().next().unwrap_or_default();
        let limit = rest
            .rsplit("budget ")
            .next()
            .unwrap_or_default()
            .trim_end_matches(')');
        let before = previous.get(what).map_or("—", String::as_str);
        out.push_str(&format!(
            "| {what} | {measured} | {before} | {limit} | {} |\n",
            if ok { "ok" } else { "**over**" }
        ));
    }
    out.push_str("\nWhat each widget adds is the bundle with it minus the bundle built without it (`--no-default-features` and the other widgets' features). \"Previous report\" is the figure in the BENCHMARKS.md this run replaced (— where it had none): the before and after of the change being measured.\n");
    out.push_str("\n### Where the wasm's bytes go\n\nFunction bodies and data of the optimized wasm (built again with its name section for this table), grouped by origin:\n\n");
    out.push_str(&crate::sizes::markdown(&full.analysis));
    out.push_str(&format!(
        "\n## Server load (loopback)\n\n`wrk --latency`, {SECONDS} s per run, threads = min(connections, 2), \
         on the same 2-core machine as the server (so client and server share the CPU). \
         Server: `--profile server`, fresh SQLite database (WAL, synchronous=FULL), rate limit off. \
         Votes come from a new random reader each, spread over 50 articles; reads ask for the \
         counts of 1 or 50 of those articles with a reader id (so `mine` is looked up), through \
         `GET /api/v1/ratings` and through the loader's `GET /api/v1/boot`.\n\n"
    ));
    out.push_str("| scenario | connections | requests/s | p50 | p99 | non-2xx or socket errors |\n|---|---:|---:|---:|---:|---:|\n");
    for l in loads {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {} | {} | {} |\n",
            l.scenario, l.connections, l.requests_per_sec, l.p50, l.p99, l.errors
        ));
    }
    out.push_str(&format!(
        "\nServer memory after the runs: RSS {rss}, peak RSS {peak}.\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_report_gives_each_budget_line_its_before() {
        let old = "# Benchmarks\n\n| budget | measured | limit | |\n|---|---:|---:|---|\n\
                   | loader | 1095 | 1100 | ok |\n| what rating adds | 15529 | 16384 | ok |\n\nmore\n";
        let sizes = previous_sizes(old);
        assert_eq!(sizes.get("loader").map(String::as_str), Some("1095"));
        assert_eq!(
            sizes.get("what rating adds").map(String::as_str),
            Some("15529")
        );
        assert_eq!(sizes.len(), 2);
        assert!(previous_sizes("no table here").is_empty());
    }
}
