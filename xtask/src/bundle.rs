//! The bundle: loader + wasm-bindgen glue + optimized wasm, content-hashed, precompressed, measured.
//!
//! cargo (wasm32, release) → wasm-bindgen `--target web` → `wasm-opt -Oz` (npm binaryen; Debian's
//! binaryen 108 cannot read reference types) → `pkg/` with `bangtin.js` (loader, stable name)
//! and `bangtin.<hash>.js` + `bangtin_bg.<hash>.wasm` (immutable), each with `.br` and `.gz`.

use crate::{cargo, root, run, setup, step, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Loader budget, gzip bytes.
pub const LOADER_BUDGET: usize = 2 * 1024;
/// Loader + glue + wasm budget, gzip bytes.
pub const TOTAL_BUDGET: usize = 80 * 1024;

/// One file's sizes.
#[derive(Clone, Debug)]
pub struct Size {
    pub file: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Builds the bundle into `pkg/` and prints its size table.
pub fn build() -> Result<Vec<Size>> {
    build_with(&[], "release", &root().join("pkg"))
}

/// Builds with extra cargo env (e.g. another opt-level) into `out`.
pub fn build_with(env: &[(&str, &str)], label: &str, out: &Path) -> Result<Vec<Size>> {
    step(&format!(
        "bundle ({label}): wasm32 build, wasm-bindgen, wasm-opt -Oz"
    ));
    let target_dir = if env.is_empty() {
        root().join("target")
    } else {
        root().join("target").join(format!("variant-{label}"))
    };
    run(cargo()
        .args([
            "build",
            "-p",
            "bangtin",
            "--lib",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--target-dir",
        ])
        .arg(&target_dir)
        .envs(env.iter().copied()))?;
    let work = target_dir.join("bundle");
    let _ = std::fs::remove_dir_all(&work);
    run(Command::new("wasm-bindgen")
        .arg(target_dir.join("wasm32-unknown-unknown/release/bangtin.wasm"))
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "bangtin",
            "--out-dir",
        ])
        .arg(&work))?;
    if work.join("snippets").exists() {
        return Err("wasm-bindgen wrote JS snippets; the bundle expects one glue file".into());
    }
    let optimized = work.join("bangtin_bg.opt.wasm");
    run(Command::new(setup::node_bin("wasm-opt"))
        .arg("-Oz")
        .args(WASM_FEATURES)
        .arg(work.join("bangtin_bg.wasm"))
        .arg("-o")
        .arg(&optimized))?;

    let wasm = read(&optimized)?;
    let glue = read(&work.join("bangtin.js"))?;
    let wasm_name = format!("bangtin_bg.{}.wasm", short_hash(&wasm));
    let glue_name = format!("bangtin.{}.js", short_hash(&glue));
    let loader_src = String::from_utf8(read(&root().join("www/bangtin.js"))?)
        .map_err(|_| "www/bangtin.js is not UTF-8")?;
    let loader = minify(
        &loader_src
            .replace("__BANGTIN_GLUE__", &format!("pkg/{glue_name}"))
            .replace("__BANGTIN_WASM__", &format!("pkg/{wasm_name}")),
    );

    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut sizes = Vec::new();
    for (name, bytes) in [
        ("bangtin.js".to_string(), loader.into_bytes()),
        (glue_name, glue),
        (wasm_name, wasm),
    ] {
        sizes.push(write_compressed(out, &name, &bytes)?);
    }
    print!("{}", table(&sizes));
    Ok(sizes)
}

/// The wasm features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-multivalue",
];

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Drops comment lines, indentation and blank lines; keeps `/*!` notices. Enough for a
/// hand-written loader that never puts `//` comments after code on a line.
pub fn minify(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("// ") || line == "//" {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn write_compressed(dir: &Path, name: &str, bytes: &[u8]) -> Result<Size> {
    let path = dir.join(name);
    let write = |p: &Path, b: &[u8]| {
        std::fs::write(p, b).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write(&path, bytes)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).map_err(|e| e.to_string())?;
    let gz = gz.finish().map_err(|e| e.to_string())?;
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).map_err(|e| e.to_string())?;
    write(&dir.join(format!("{name}.gz")), &gz)?;
    write(&dir.join(format!("{name}.br")), &br)?;
    Ok(Size {
        file: name.to_string(),
        raw: bytes.len(),
        gzip: gz.len(),
        brotli: br.len(),
    })
}

/// The size table as Markdown, with a total row.
pub fn table(sizes: &[Size]) -> String {
    let mut out = String::from("\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for s in sizes {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            s.file, s.raw, s.gzip, s.brotli
        ));
        raw += s.raw;
        gz += s.gzip;
        br += s.brotli;
    }
    out.push_str(&format!("| **total** | {raw} | {gz} | {br} |\n"));
    out
}

/// Fails if the loader or the whole bundle is over budget (gzip bytes; deterministic).
pub fn check_budget(sizes: &[Size]) -> Result {
    let loader = sizes
        .iter()
        .find(|s| s.file == "bangtin.js")
        .map_or(0, |s| s.gzip);
    let total: usize = sizes.iter().map(|s| s.gzip).sum();
    println!("    loader {loader} B gzip (budget {LOADER_BUDGET}); bundle {total} B gzip (budget {TOTAL_BUDGET})");
    if loader > LOADER_BUDGET {
        return Err(format!(
            "loader is {loader} B gzip, over its {LOADER_BUDGET} B budget"
        ));
    }
    if total > TOTAL_BUDGET {
        return Err(format!(
            "bundle is {total} B gzip, over its {TOTAL_BUDGET} B budget"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_keeps_code_and_notices_and_drops_comments() {
        let src = "/*! notice */\n// comment\n  var a = 'http://x';\n\n  if (a) b();\n";
        assert_eq!(
            minify(src),
            "/*! notice */\nvar a = 'http://x';\nif (a) b();\n"
        );
    }

    #[test]
    fn budget_fails_when_the_loader_is_too_big() {
        let size = |file: &str, gzip| Size {
            file: file.into(),
            raw: 0,
            gzip,
            brotli: 0,
        };
        assert!(check_budget(&[size("bangtin.js", 2000), size("x.wasm", 70_000)]).is_ok());
        assert!(check_budget(&[size("bangtin.js", 2049)]).is_err());
        assert!(check_budget(&[size("bangtin.js", 100), size("x.wasm", 82_000)]).is_err());
    }
}
