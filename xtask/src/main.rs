//! `cargo xtask`: the project's commands, so that a fresh machine needs only cargo.
//!
//! - `serve`  build the bundle, start the server on 127.0.0.1:8080 (SQLite under `data/`).
//! - `test`   every check and test: fmt, clippy (native and wasm), unit, integration (SQLite and
//!   a PostgreSQL it starts), browser
//!   (wasm-bindgen-test in Chromium) and end-to-end (Playwright against the real server).
//! - `bench`  bundle sizes and a loopback load test; writes BENCHMARKS.md.
//! - `build`  only the bundle into `pkg/`; `docs` regenerates the README option tables.
//!
//! Each command installs what it is missing (the wasm32 target, wasm-bindgen-cli at the version in
//! Cargo.lock, Debian packages when run as root, npm packages) or says exactly what to install.

mod bench;
mod browser;
mod bundle;
mod docs;
mod postgres;
mod setup;
mod sizes;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Everything that stops a command, with the message the user sees.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench::run(),
        Some("build") => setup::for_bundle().and_then(|()| match args.get(1).map(String::as_str) {
            None => bundle::build().map(drop),
            Some("--widgets") => {
                let list = args.get(2).map(String::as_str).unwrap_or_default();
                let widgets: Vec<&str> = list.split(',').filter(|w| !w.is_empty()).collect();
                bundle::build_only(&widgets)
            }
            Some(other) => Err(format!("unknown build option `{other}`\n\n{HELP}")),
        }),
        Some("budgets") => setup::for_bundle().and_then(|()| {
            let full = bundle::build()?;
            let only: Vec<&str> = args[1..].iter().map(String::as_str).collect();
            let added = bundle::measure_widgets(&full, &only)?;
            bundle::check_budget(&full, &added)
        }),
        Some("docs") => docs::write(),
        Some("help") | Some("--help") | None => {
            println!("{}", HELP);
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "usage: cargo xtask <command>

  serve [--listen ADDR] [--database-url URL]
          build the bundle and start the server (default 127.0.0.1:8080, sqlite://data/bangtin.db;
          also read from BANGTIN_LISTEN and BANGTIN_DATABASE_URL); prints the demo URL
  test    every check and test (what CI runs)
  bench   bundle size table and loopback load test; writes BENCHMARKS.md
  build [--widgets a,b]
          build the bundle into pkg/ and print its size table; with --widgets, only those
          widgets, into target/bundle-only/ (to see what a change costs)
  budgets [widget ...]
          build the bundle, and again without each widget (or only the ones named), and check
          every size budget: the size step of `test`, alone
  docs    regenerate the option tables in README.md from the widget crate";

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("unreachable: xtask lives in a subfolder of the workspace")
        .to_path_buf()
}

/// Prints a step header.
pub fn step(title: &str) {
    println!("\n\x1b[1m==> {title}\x1b[0m");
}

/// Runs `cmd` in the workspace root, echoing it; fails with its exit status.
pub fn run(cmd: &mut Command) -> Result {
    cmd.current_dir(root());
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// `cargo` as invoked by the user (rustup's proxy honours the toolchain).
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The reader-hash secret of `cargo xtask serve`: `data/secret`, made (random, 256 bits) on
/// first use and kept, so that readers stay the same readers across restarts.
fn local_secret() -> Result<PathBuf> {
    let path = root().join("data/secret");
    if !path.exists() {
        std::fs::create_dir_all(root().join("data")).map_err(|e| e.to_string())?;
        let mut bytes = [0u8; 32];
        let mut urandom = std::fs::File::open("/dev/urandom")
            .map_err(|e| format!("cannot read /dev/urandom for a secret: {e}"))?;
        std::io::Read::read_exact(&mut urandom, &mut bytes).map_err(|e| e.to_string())?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(&path, hex + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("    made a reader-hash secret: {}", path.display());
    }
    Ok(path)
}

fn serve(args: &[String]) -> Result {
    let mut listen = std::env::var("BANGTIN_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut database =
        std::env::var("BANGTIN_DATABASE_URL").unwrap_or_else(|_| "sqlite://data/bangtin.db".into());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = rest.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--listen" => listen = value.clone(),
            "--database-url" => database = value.clone(),
            _ => return Err(format!("unknown flag `{arg}` (see `cargo xtask help`)")),
        }
    }
    setup::for_bundle()?;
    bundle::build()?;
    step("server (release build, profile `server`)");
    run(cargo().args(["build", "-p", "bangtin-server", "--profile", "server"]))?;
    step("start");
    let bin = root().join("target/server/bangtin-server");
    let secret = local_secret()?;
    let mut child = Command::new(&bin)
        .current_dir(root())
        .args(["--listen", &listen, "--database-url", &database])
        .arg("--secret-file")
        .arg(&secret)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().expect("unreachable: stdout is piped");
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(|l| l.ok()) {
        println!("{line}");
        if let Some(url) = line.strip_prefix("bangtin listening on ") {
            println!("\n  Demo page:  {url}\n  Database:   {database}\n  Stop with Ctrl+C.\n");
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}

/// A named step of `cargo xtask test`.
type Step = (&'static str, Box<dyn Fn() -> Result>);

fn test() -> Result {
    let started = Instant::now();
    setup::for_bundle()?;
    setup::for_browser_tests()?;
    let chrome_env = [
        ("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ("WASM_BINDGEN_TEST_TIMEOUT", "60"),
    ];
    let steps: Vec<Step> = vec![
        (
            "format (cargo fmt --check)",
            Box::new(|| run(cargo().args(["fmt", "--all", "--check"]))),
        ),
        (
            "clippy, native, -D warnings",
            Box::new(|| {
                run(cargo().args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
            }),
        ),
        (
            "clippy, wasm32 widget crate (tests, and the bundle's no-std build), -D warnings",
            Box::new(|| {
                run(cargo().args([
                    "clippy",
                    "-p",
                    "bangtin",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))?;
                run(cargo()
                    .args([
                        "clippy",
                        "-p",
                        "bangtin",
                        "--target",
                        "wasm32-unknown-unknown",
                        "--lib",
                        "--no-default-features",
                        "--features",
                    ])
                    .arg(bundle::all_widgets().join(","))
                    .args(["--", "-D", "warnings"]))
            }),
        ),
        (
            "unit and server integration tests (real SQLite and a real PostgreSQL)",
            Box::new(|| {
                let pg = postgres::TempPostgres::start()?;
                run(cargo()
                    .args(["test", "--workspace"])
                    .env("BANGTIN_TEST_POSTGRES_URL", &pg.url))
            }),
        ),
        (
            "browser tests: wasm-bindgen-test in headless Chromium",
            Box::new(move || {
                run(cargo()
                    .args([
                        "test",
                        "-p",
                        "bangtin",
                        "--target",
                        "wasm32-unknown-unknown",
                    ])
                    .envs(chrome_env))
            }),
        ),
        (
            "bundle (release) and size budgets (brotli: per file, total, per widget)",
            Box::new(|| {
                let full = bundle::build()?;
                let added = bundle::measure_widgets(&full, &[])?;
                // The per-widget builds reuse the target dir; put the full bundle back last.
                bundle::check_budget(&full, &added)
            }),
        ),
        (
            "server binary for the end-to-end tests",
            Box::new(|| run(cargo().args(["build", "-p", "bangtin-server"]))),
        ),
        (
            "end-to-end: Playwright in Chromium against the real server",
            Box::new(|| {
                run(Command::new(setup::node_bin("playwright")).arg("test").env(
                    "BANGTIN_SERVER_BIN",
                    root().join("target/debug/bangtin-server"),
                ))
            }),
        ),
    ];
    let total = steps.len();
    for (title, body) in &steps {
        step(title);
        let t = Instant::now();
        body().map_err(|e| format!("step \"{title}\" failed: {e}"))?;
        println!("    ok ({:.0} s)", t.elapsed().as_secs_f64());
    }
    println!(
        "\nxtask test: all {total} steps passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!("steps: {total} passed, 0 failed");
    Ok(())
}
