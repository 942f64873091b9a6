//! The bundle: loader + wasm-bindgen glue + optimized wasm, content-hashed, precompressed, measured.
//!
//! cargo (wasm32, release) → wasm-bindgen `--target web` → `wasm-opt -Oz` (npm binaryen; Debian's
//! binaryen 108 cannot read reference types), which also renames every import and export to a
//! letter or two; the glue gets the same renames and is minified by esbuild, and so is the loader,
//! which learns the hashed names and the widget list (from the widget crate's one list). Output in
//! `pkg/`: `bangtin.js` (loader, stable name) and `bangtin.<hash>.js` + `bangtin_bg.<hash>.wasm`
//! (immutable), each with `.br` and `.gz`.
//!
//! Budgets are brotli bytes, deterministic, and enforced by `cargo xtask test`: per file, for the
//! whole bundle, and for what each widget adds (measured by building without it).

use crate::sizes::{self, Analysis};
use crate::{cargo, root, run, setup, step, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Loader budget, brotli bytes.
pub const LOADER_BUDGET: usize = 1_100;
/// Glue budget, brotli bytes: wasm-bindgen's glue plus the JS the wasm imports (`www/transport.js`,
/// `www/dom.js`, and the ticker's and the countdown's own `view.js` and `clock.js`). Work moved
/// there from the wasm costs a fraction of its wasm size; the total budget is what bounds both.
pub const GLUE_BUDGET: usize = 6_000;
/// The whole bundle (loader + glue + wasm, every widget), brotli bytes: the rating-era 24 KB plus
/// each later widget's line in [`WIDGET_BUDGETS`].
pub const TOTAL_BUDGET: usize = 24 * 1024 + TICKER_BUDGET + COUNTDOWN_BUDGET + 7 * 1024;
/// What each widget may add to the bundle (brotli bytes of the whole bundle with it, minus the
/// bundle built without it). The code every widget shares is in none of these figures, since
/// the other widgets still need it; [`TOTAL_BUDGET`] bounds it. (The rating's 16 KB dates from
/// when it was the only widget, and its figure carried that code too.)
pub const WIDGET_BUDGETS: &[(&str, usize)] = &[
    ("rating", 16 * 1024),
    ("feedback", 7 * 1024),
    ("ticker", TICKER_BUDGET),
    ("countdown", COUNTDOWN_BUDGET),
];
/// Issue 9 gives the ticker 5 KB; it adds 5,041 B (8,263 B before the first cuts, 6,401 B
/// before the second). The figure moves by up to ±100 B when anything shifts the data addresses
/// the wasm's code embeds.
const TICKER_BUDGET: usize = 5 * 1024;
/// Issue 10 gives the countdown 6 KB, calendar included; it adds 5,956 B (7,551 B before the
/// first cuts).
const COUNTDOWN_BUDGET: usize = 6 * 1024;

/// One file's sizes.
#[derive(Clone, Debug)]
pub struct Size {
    pub file: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// A built bundle.
#[derive(Clone, Debug)]
pub struct Built {
    pub sizes: Vec<Size>,
    /// Where the wasm's bytes go.
    pub analysis: Analysis,
}

impl Built {
    /// Brotli bytes of loader + glue + wasm.
    pub fn brotli_total(&self) -> usize {
        self.sizes.iter().map(|s| s.brotli).sum()
    }

    fn brotli_of(&self, which: Part) -> usize {
        self.sizes
            .iter()
            .find(|s| Part::of(&s.file) == which)
            .map_or(0, |s| s.brotli)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Loader,
    Glue,
    Wasm,
}

impl Part {
    fn of(file: &str) -> Part {
        if file == "bangtin.js" {
            Part::Loader
        } else if file.ends_with(".wasm") {
            Part::Wasm
        } else {
            Part::Glue
        }
    }
}

/// Builds the bundle (every widget) into `pkg/` and prints its size table and where the bytes go.
pub fn build() -> Result<Built> {
    let built = build_with("release", None, &root().join("pkg"))?;
    print!("{}", table(&built.sizes));
    println!(
        "\nWhere the wasm's bytes go:\n\n{}",
        sizes::markdown(&built.analysis)
    );
    Ok(built)
}

/// Builds only `widgets` into `target/bundle-only/` and prints its sizes.
pub fn build_only(widgets: &[&str]) -> Result {
    let out = root().join("target").join("bundle-only");
    let built = build_with("only", Some(widgets), &out)?;
    print!("{}", table(&built.sizes));
    println!(
        "\nWhere the wasm's bytes go:\n\n{}",
        sizes::markdown(&built.analysis)
    );
    Ok(())
}

/// The cargo features of a build without `widget`: every other widget.
fn without(widget: &str) -> Vec<&'static str> {
    WIDGET_BUDGETS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| *name != widget)
        .collect()
}

/// Every widget (its cargo feature).
pub fn all_widgets() -> Vec<&'static str> {
    WIDGET_BUDGETS.iter().map(|(name, _)| *name).collect()
}

/// Builds with only the widgets in `features` (None: every widget) into `out`, always without
/// the crate's `std` feature. `label` names the build and keeps its intermediate files apart.
pub fn build_with(label: &str, features: Option<&[&str]>, out: &Path) -> Result<Built> {
    step(&format!(
        "bundle ({label}): wasm32 build, wasm-bindgen, wasm-opt -Oz, esbuild"
    ));
    let target_dir = root().join("target");
    let mut cargo_build = cargo();
    cargo_build.args([
        "build",
        "-p",
        "bangtin",
        "--lib",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    let widgets: Vec<&str> = match features {
        Some(features) => features.to_vec(),
        None => all_widgets(),
    };
    cargo_build.arg("--no-default-features");
    if !widgets.is_empty() {
        cargo_build.arg("--features").arg(widgets.join(","));
    }
    run(&mut cargo_build)?;
    let work = target_dir.join("bundle").join(label);
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
    let optimized = work.join("bangtin_bg.opt.wasm");
    let renames = wasm_opt(&work.join("bangtin_bg.wasm"), &optimized, true)?;
    // The same optimisation keeping the names, only to say where the bytes go.
    let named = work.join("bangtin_bg.named.wasm");
    wasm_opt(&work.join("bangtin_bg.wasm"), &named, false)?;
    let analysis = sizes::analyze(&read(&named)?)?;

    let glue_src =
        String::from_utf8(read(&work.join("bangtin.js"))?).map_err(|_| "the glue is not UTF-8")?;
    let glue_renamed = work.join("bangtin.renamed.js");
    write(
        &glue_renamed,
        rename_in_glue(&glue_src, &renames)?.as_bytes(),
    )?;
    // One file: our front (`www/glue.js`), the glue and the JS it imports (`www/transport.js`,
    // copied as a wasm-bindgen snippet), bundled and minified.
    let entry = work.join("entry.js");
    std::fs::copy(root().join("www/glue.js"), &entry)
        .map_err(|e| format!("cannot copy www/glue.js: {e}"))?;
    let glue = esbuild(&entry, &["--bundle", "--format=esm"])?;

    let wasm = read(&optimized)?;
    let wasm_name = format!("bangtin.{}.wasm", short_hash(&wasm));
    let glue_name = format!("bangtin.{}.js", short_hash(&glue));
    let loader_src = String::from_utf8(read(&root().join("www/bangtin.js"))?)
        .map_err(|_| "www/bangtin.js is not UTF-8")?;
    let loader_in = work.join("loader.js");
    let filled = fill_loader(&loader_src, &glue_name, &wasm_name, &widget_list(features))?;
    write(&loader_in, filled.as_bytes())?;
    let loader = esbuild(&loader_in, &[])?;

    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut sizes = Vec::new();
    for (name, bytes) in [
        ("bangtin.js".to_string(), loader),
        (glue_name, glue),
        (wasm_name, wasm),
    ] {
        sizes.push(write_compressed(out, &name, &bytes)?);
    }
    Ok(Built { sizes, analysis })
}

/// The widget list the loader carries: `["rating",…]`, the widgets in this build.
fn widget_list(features: Option<&[&str]>) -> String {
    let all = all_widgets();
    let features = features.unwrap_or(&all);
    let mut selector: Vec<String> = bangtin::catalog()
        .into_iter()
        .filter(|w| features.contains(&w.name))
        .map(|w| format!("bangtin-{}", w.name))
        .collect();
    selector.push("[data-bangtin]".into());
    format!("\"{}\"", selector.join(","))
}

/// The loader source with the build's names filled in; fails if a placeholder is missing.
fn fill_loader(source: &str, glue: &str, wasm: &str, widgets: &str) -> Result<String> {
    let mut out = source.to_string();
    for (placeholder, value) in [
        ("__BANGTIN_GLUE__", format!("pkg/{glue}")),
        ("__BANGTIN_WASM__", format!("pkg/{wasm}")),
        ("__BANGTIN_WIDGETS__", widgets.to_string()),
    ] {
        if !out.contains(placeholder) {
            return Err(format!("www/bangtin.js lacks {placeholder}"));
        }
        out = out.replace(placeholder, &value);
    }
    Ok(out)
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

/// What wasm-opt renamed: imports (`__wbg_x_1234` of `./bangtin_bg.js`, or a snippet's own
/// export, which wasm-bindgen imports directly from the snippet's module) and exports (`mount`),
/// each to its new name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Renames {
    /// `(module, name, new name)`.
    pub imports: Vec<(String, String, String)>,
    pub exports: BTreeMap<String, String>,
}

/// Reads the mapping binaryen 132 prints: `{"imports": [[module, name, new], …], "exports":
/// [[name, new], …]}`.
fn parse_renames(json: &str) -> Result<Renames> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("wasm-opt's renames are not JSON: {e}"))?;
    let entries = |key: &str, width: usize| -> Result<Vec<Vec<String>>> {
        value[key]
            .as_array()
            .ok_or(format!("wasm-opt's renames lack \"{key}\""))?
            .iter()
            .map(|entry| {
                (0..width)
                    .map(|i| entry[i].as_str().map(str::to_string))
                    .collect::<Option<Vec<String>>>()
                    .ok_or(format!("odd {key} rename: {entry}"))
            })
            .collect()
    };
    let mut imports = Vec::new();
    for mut entry in entries("imports", 3)? {
        let (new, name, module) = (entry.pop(), entry.pop(), entry.pop());
        if let (Some(module), Some(name), Some(new)) = (module, name, new) {
            imports.push((module, name, new));
        }
    }
    let mut exports = BTreeMap::new();
    for mut entry in entries("exports", 2)? {
        if let (Some(new), Some(old)) = (entry.pop(), entry.pop()) {
            exports.insert(old, new);
        }
    }
    Ok(Renames { imports, exports })
}

/// Runs `wasm-opt -Oz`, which also renames imports, exports and the import module to short
/// names, and returns the renames it printed. Without `minify` it keeps the function names
/// (`-g`) for the size analysis.
fn wasm_opt(input: &Path, output: &Path, minify: bool) -> Result<Renames> {
    let mut cmd = Command::new(setup::node_bin("wasm-opt"));
    cmd.current_dir(root()).arg("-Oz").args(WASM_FEATURES);
    cmd.arg("--minify-imports-and-exports-and-modules");
    if minify {
        cmd.arg("--strip-producers");
    } else {
        cmd.arg("-g");
    }
    cmd.arg(input).arg("-o").arg(output);
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let out = cmd
        .output()
        .map_err(|e| format!("could not start wasm-opt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    parse_renames(&String::from_utf8_lossy(&out.stdout))
}

/// Applies wasm-opt's renames to the glue: the import object's keys (`__wbg_x_1234: function`),
/// the exports it calls (`wasm.__wbindgen_malloc`) and the import module's name, which
/// `--minify-imports-and-exports-and-modules` turns into `a`. Fails if an import is not found.
pub fn rename_in_glue(glue: &str, renames: &Renames) -> Result<String> {
    const MODULE: &str = "./bangtin_bg.js";
    let module_key = format!("\"{MODULE}\": import0,");
    if !glue.contains(&module_key) {
        return Err("the glue's import module is not \"./bangtin_bg.js\" (import0)".into());
    }
    let mut out = glue.to_string();
    // Functions imported straight from a snippet (`"./snippets/…/transport.js": import1`, the
    // module's namespace) join the one module `a` under their new names.
    let mut joined = Vec::new();
    for (module, name, new) in renames.imports.iter().filter(|(m, _, _)| m != MODULE) {
        let line = out
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("\"{module}\":")))
            .ok_or(format!("the glue does not import the module {module}"))?
            .to_string();
        let alias = line
            .trim()
            .trim_start_matches(&format!("\"{module}\":"))
            .trim()
            .trim_end_matches(',')
            .to_string();
        joined.push(format!("\"{new}\": {alias}[\"{name}\"]"));
        out = out.replace(&format!("{line}\n"), "");
    }
    out = out.replace(
        &module_key,
        &format!(
            "\"a\": Object.assign(import0, {{ {} }}),",
            joined.join(", ")
        ),
    );
    for (_, old, new) in renames.imports.iter().filter(|(m, _, _)| m == MODULE) {
        // Import keys stand at the start of a line, indented.
        let as_key = format!("{old}:");
        let mut found = false;
        let lines: Vec<String> = out
            .lines()
            .map(|line| {
                if line.trim_start().starts_with(&as_key) {
                    found = true;
                    line.replacen(&as_key, &format!("\"{new}\":"), 1)
                } else {
                    line.to_string()
                }
            })
            .collect();
        out = lines.join("\n");
        if !found {
            return Err(format!(
                "wasm-opt renamed the import {old} to {new}, but the glue never defines it"
            ));
        }
    }
    for (old, new) in &renames.exports {
        // Exports are always called as `wasm.NAME` (and some are never called).
        let as_export = format!("wasm.{old}");
        let mut replaced = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(&as_export) {
            let after = &rest[at + as_export.len()..];
            let whole_name = !after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            replaced.push_str(&rest[..at]);
            if whole_name {
                replaced.push_str("wasm[\"");
                replaced.push_str(new);
                replaced.push_str("\"]");
            } else {
                replaced.push_str(&as_export);
            }
            rest = after;
        }
        replaced.push_str(rest);
        out = replaced;
    }
    Ok(out)
}

/// Minifies a JS file with esbuild and returns the result.
fn esbuild(input: &Path, extra: &[&str]) -> Result<Vec<u8>> {
    let output = input.with_extension("min.js");
    run(Command::new(setup::node_bin("esbuild"))
        .arg(input)
        .args(["--minify", "--legal-comments=none", "--charset=utf8"])
        .args(extra)
        .arg(format!("--outfile={}", output.display())))?;
    read(&output)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn write_compressed(dir: &Path, name: &str, bytes: &[u8]) -> Result<Size> {
    write(&dir.join(name), bytes)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).map_err(|e| e.to_string())?;
    let gz = gz.finish().map_err(|e| e.to_string())?;
    let br = brotli(bytes)?;
    write(&dir.join(format!("{name}.gz")), &gz)?;
    write(&dir.join(format!("{name}.br")), &br)?;
    Ok(Size {
        file: name.to_string(),
        raw: bytes.len(),
        gzip: gz.len(),
        brotli: br.len(),
    })
}

/// Brotli at the highest quality, as served.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).map_err(|e| e.to_string())?;
    Ok(br)
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

/// What each widget adds: the full bundle's brotli total minus a build without that widget.
#[derive(Clone, Debug)]
pub struct Added {
    pub widget: &'static str,
    pub bytes: usize,
    pub budget: usize,
}

/// Builds the bundle once without each widget (into `target/bundle-without-<name>`) and
/// measures what the widget adds to `full`; only the widgets in `only`, unless it is empty.
pub fn measure_widgets(full: &Built, only: &[&str]) -> Result<Vec<Added>> {
    if let Some(unknown) = only.iter().find(|w| !all_widgets().contains(w)) {
        return Err(format!(
            "no widget `{unknown}` (the widgets: {})",
            all_widgets().join(", ")
        ));
    }
    let mut added = Vec::new();
    for (widget, budget) in WIDGET_BUDGETS {
        if !only.is_empty() && !only.contains(widget) {
            continue;
        }
        let others = without(widget);
        let label = format!("without-{widget}");
        let out: PathBuf = root().join("target").join(format!("bundle-{label}"));
        let base = build_with(&label, Some(&others), &out)?;
        added.push(Added {
            widget,
            bytes: full.brotli_total().saturating_sub(base.brotli_total()),
            budget: *budget,
        });
    }
    Ok(added)
}

/// The budget checks: each line says what was measured against what budget.
pub fn budget_lines(full: &Built, added: &[Added]) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    let mut check = |what: String, bytes: usize, budget: usize| {
        lines.push((
            format!("{what}: {bytes} B brotli (budget {budget})"),
            bytes <= budget,
        ));
    };
    check("loader".into(), full.brotli_of(Part::Loader), LOADER_BUDGET);
    check("glue".into(), full.brotli_of(Part::Glue), GLUE_BUDGET);
    check(
        "wasm".into(),
        full.brotli_of(Part::Wasm),
        TOTAL_BUDGET.saturating_sub(LOADER_BUDGET + GLUE_BUDGET),
    );
    check("bundle".into(), full.brotli_total(), TOTAL_BUDGET);
    for a in added {
        check(format!("what {} adds", a.widget), a.bytes, a.budget);
    }
    lines
}

/// Fails if anything is over budget (brotli bytes; deterministic).
pub fn check_budget(full: &Built, added: &[Added]) -> Result {
    let lines = budget_lines(full, added);
    for (line, ok) in &lines {
        println!("    {} {line}", if *ok { "ok  " } else { "OVER" });
    }
    let over: Vec<&str> = lines
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(line, _)| line.as_str())
        .collect();
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("over budget: {}", over.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(file: &str, brotli: usize) -> Size {
        Size {
            file: file.into(),
            raw: 0,
            gzip: 0,
            brotli,
        }
    }

    fn built(loader: usize, glue: usize, wasm: usize) -> Built {
        Built {
            sizes: vec![
                size("bangtin.js", loader),
                size("bangtin.0123456789ab.js", glue),
                size("bangtin_bg.0123456789ab.wasm", wasm),
            ],
            analysis: Analysis::default(),
        }
    }

    #[test]
    fn budgets_fail_for_each_file_the_total_and_each_widget() {
        assert!(check_budget(&built(1_000, 3_000, 15_000), &[]).is_ok());
        assert!(
            check_budget(&built(LOADER_BUDGET + 1, 3_000, 15_000), &[]).is_err(),
            "loader"
        );
        assert!(
            check_budget(&built(1_000, GLUE_BUDGET + 1, 15_000), &[]).is_err(),
            "glue"
        );
        assert!(
            check_budget(
                &built(1_000, 3_000, TOTAL_BUDGET - LOADER_BUDGET - GLUE_BUDGET + 1),
                &[]
            )
            .is_err(),
            "wasm/total"
        );
        let heavy = Added {
            widget: "rating",
            bytes: 17_000,
            budget: 16_384,
        };
        assert!(
            check_budget(&built(1_000, 3_000, 15_000), &[heavy]).is_err(),
            "widget"
        );
    }

    #[test]
    fn the_loader_learns_the_hashed_names_and_the_widgets() {
        let src = "var G = '__BANGTIN_GLUE__', W = '__BANGTIN_WASM__', K = __BANGTIN_WIDGETS__;";
        let filled = fill_loader(src, "bangtin.aa.js", "bangtin_bg.bb.wasm", "[\"rating\"]")
            .expect("filled");
        assert_eq!(
            filled,
            "var G = 'pkg/bangtin.aa.js', W = 'pkg/bangtin_bg.bb.wasm', K = [\"rating\"];"
        );
        assert!(fill_loader("nothing", "a", "b", "{}").is_err());
        let bundled: Vec<String> = all_widgets()
            .iter()
            .map(|w| format!("bangtin-{w},"))
            .collect();
        assert_eq!(
            widget_list(None),
            format!("\"{}[data-bangtin]\"", bundled.concat())
        );
        assert_eq!(
            widget_list(Some(&["rating"])),
            "\"bangtin-rating,[data-bangtin]\""
        );
        assert_eq!(widget_list(Some(&[])), "\"[data-bangtin]\"");
    }

    #[test]
    fn renames_reach_import_keys_and_exports_but_not_lookalikes() {
        let glue = "function __wbg_get_imports() {\n    const import0 = {\n        __wbg_alert_1a2b: function(arg0) {\n            alert(arg0);\n        },\n    };\n    return {\n        \"./bangtin_bg.js\": import0,\n    };\n}\nexport function mount(a) { return wasm.mount(a) + wasm.mount_x + wasm.__wbindgen_malloc(1); }\n";
        let glue = glue.replace(
            "\"./bangtin_bg.js\": import0,\n",
            "\"./bangtin_bg.js\": import0,\n        \"./snippets/x/www/transport.js\": import1,\n",
        );
        let glue = glue.as_str();
        let json = r#"{"imports": [["./bangtin_bg.js", "__wbg_alert_1a2b", "A"],
            ["./snippets/x/www/transport.js", "within", "e"]],
            "exports": [["mount", "$"], ["__wbindgen_malloc", "c"], ["unused", "d"]]}"#;
        let renames = parse_renames(json).expect("parses");
        assert_eq!(
            renames.imports[0],
            (
                "./bangtin_bg.js".into(),
                "__wbg_alert_1a2b".into(),
                "A".into()
            )
        );
        let out = rename_in_glue(glue, &renames).expect("renamed");
        assert!(out.contains("        \"A\": function(arg0)"), "{out}");
        assert!(
            out.contains("\"a\": Object.assign(import0, { \"e\": import1[\"within\"] }),"),
            "{out}"
        );
        assert!(!out.contains("transport.js\": import1"), "{out}");
        assert!(
            out.contains("export function mount(a)"),
            "the JS name stays: {out}"
        );
        assert!(
            out.contains("wasm[\"$\"](a) + wasm.mount_x + wasm[\"c\"](1)"),
            "{out}"
        );
        let missing = Renames {
            imports: vec![(
                "./bangtin_bg.js".to_string(),
                "__wbg_gone".to_string(),
                "z".to_string(),
            )],
            exports: BTreeMap::new(),
        };
        assert!(rename_in_glue(glue, &missing).is_err());
        assert!(
            parse_renames("a => b").is_err(),
            "the old text format is refused"
        );
    }
}
