//! Installs what a command needs on a fresh machine, or says exactly what to install.

use crate::{cargo, root, run, step, Result};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The wasm32 target, wasm-bindgen-cli matching Cargo.lock, and the npm packages (wasm-opt).
pub fn for_bundle() -> Result {
    step("tools for the bundle");
    wasm_target()?;
    wasm_bindgen_cli()?;
    npm_packages()
}

/// Chromium and ChromeDriver from Debian, for wasm-bindgen-test and Playwright.
pub fn for_browser_tests() -> Result {
    debian(&[
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
    ])
}

/// wrk from Debian, for the load benchmark.
pub fn for_bench() -> Result {
    debian(&[("/usr/bin/wrk", "wrk")])
}

fn quiet(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn wasm_target() -> Result {
    let installed = quiet(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == "wasm32-unknown-unknown") => {
            println!("    wasm32-unknown-unknown target: present");
            Ok(())
        }
        Some(_) => run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])),
        None => Err(
            "rustup is not available: install the wasm32 target of your Rust toolchain \
             (`rustup target add wasm32-unknown-unknown`)"
                .into(),
        ),
    }
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = ")) {
                return Ok(version.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn wasm_bindgen_cli() -> Result {
    let want = locked_wasm_bindgen()?;
    let have = quiet(Command::new("wasm-bindgen").arg("--version"));
    let runner = quiet(Command::new("wasm-bindgen-test-runner").arg("--version"));
    let matches = |v: &Option<String>| {
        v.as_deref()
            .and_then(|v| v.split_whitespace().nth(1))
            .is_some_and(|v| v == want)
    };
    if matches(&have) && matches(&runner) {
        println!("    wasm-bindgen-cli {want}: present");
        return Ok(());
    }
    println!("    wasm-bindgen-cli {want} missing (found {have:?}); installing (about 3 minutes)");
    // No --locked: the registry mirror can lag behind the CLI's own lock file.
    run(cargo().args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={want}"),
    ]))
}

/// A binary from the project's npm packages.
pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

fn npm_packages() -> Result {
    let lock = root().join("package-lock.json");
    let stamp = root().join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(lock), Ok(stamp)) => match (lock.modified(), stamp.modified()) {
            (Ok(l), Ok(s)) => s >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh
        && node_bin("wasm-opt").exists()
        && node_bin("esbuild").exists()
        && node_bin("playwright").exists()
    {
        println!(
            "    npm packages (binaryen, esbuild, @playwright/test, @axe-core/playwright): present"
        );
        return Ok(());
    }
    if quiet(Command::new("npm").arg("--version")).is_none() {
        debian(&[("/usr/bin/npm", "npm")])?;
    }
    // Playwright drives Debian's Chromium; its own browser download cannot work here.
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// Installs Debian packages whose files are missing, when root; otherwise names them.
fn debian(needed: &[(&str, &str)]) -> Result {
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(path, _)| !std::path::Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        let names: Vec<&str> = needed.iter().map(|(_, p)| *p).collect();
        println!("    Debian packages {}: present", names.join(", "));
        return Ok(());
    }
    let root_user = quiet(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0");
    if !root_user {
        return Err(format!(
            "missing Debian packages; install them with:\n    sudo apt-get update && sudo apt-get install -y {}",
            missing.join(" ")
        ));
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
