//! Where the wasm's bytes go: every function body and data segment of a build that keeps its
//! name section (`wasm-opt -g`, otherwise the same optimisation as the shipped file), summed by
//! where the code comes from, plus the largest functions — what `twiggy top` shows, grouped.

use crate::Result;
use std::collections::BTreeMap;
use wasmparser::{Name, Parser, Payload};

/// One group of bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub what: &'static str,
    pub bytes: usize,
}

/// The analysis of one module.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// By origin, largest first; sums to the module's size without its name section.
    pub groups: Vec<Share>,
    /// The largest functions: (body bytes, name).
    pub top: Vec<(usize, String)>,
    pub total: usize,
}

/// Which group a function belongs to, by its (demangled) name.
pub fn group_of(name: &str) -> &'static str {
    let has = |s: &str| name.contains(s);
    if has("lol_alloc")
        || has("dlmalloc")
        || has("__rust_alloc")
        || has("__rdl_")
        || has("__rust_dealloc")
        || has("__rust_realloc")
    {
        "allocator"
    } else if has("core::fmt") || has("fmt::") || has("Formatter") || has("panic") {
        "formatting and panics (core::fmt, panic handler)"
    } else if has("bangtin::widgets::rating") {
        "widget: rating"
    } else if has("bangtin::widgets::feedback") {
        "widget: feedback"
    } else if has("bangtin::widgets::ticker") {
        "widget: ticker"
    } else if has("bangtin::widgets::countdown") || has("bangtin_lunar") {
        "widget: countdown"
    } else if has("bangtin") {
        "bangtin shared (registry, transport, DOM, options)"
    } else if has("gloo") {
        "gloo-events"
    } else if has("wasm_bindgen")
        || has("js_sys")
        || has("web_sys")
        || has("externref")
        || has("__wbindgen")
        || has("shim")
        || name.starts_with("__wbg")
    {
        "wasm-bindgen, js-sys, web-sys (imports, closures)"
    } else if has("core::")
        || has("alloc::")
        || has("std::")
        || has("<str>")
        || name.starts_with("mem")
    {
        "Rust core/alloc/std (strings, collections, iterators)"
    } else {
        "exported entry points and unnamed code"
    }
}

/// Reads `wasm` (with a name section) and sums its bytes by origin.
pub fn analyze(wasm: &[u8]) -> Result<Analysis> {
    let mut imported_functions = 0u32;
    let mut bodies: Vec<usize> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut data = 0usize;
    let mut other = 0usize;
    let mut total = 0usize;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| format!("cannot parse the wasm: {e}"))?;
        match payload {
            Payload::ImportSection(reader) => {
                let size = reader.range().len();
                other += size;
                total += size;
                for import in reader.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionStart { size, .. } => total += size as usize,
            Payload::CodeSectionEntry(body) => bodies.push(body.range().len()),
            Payload::DataSection(reader) => {
                data += reader.range().len();
                total += reader.range().len();
            }
            Payload::CustomSection(section) if section.name() == "name" => {
                let reader = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
                    section.data(),
                    section.data_offset(),
                ));
                for name in reader {
                    if let Ok(Name::Function(map)) = name {
                        for naming in map.into_iter().flatten() {
                            names.insert(naming.index, naming.name.to_string());
                        }
                    }
                }
            }
            Payload::CustomSection(section) => {
                let size = section.range().len();
                other += size;
                total += size;
            }
            Payload::End(_) | Payload::Version { .. } => {}
            section => {
                if let Some((_, range)) = section.as_section() {
                    other += range.len();
                    total += range.len();
                }
            }
        }
    }
    let mut groups: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut top = Vec::new();
    let code_total: usize = bodies.iter().sum();
    for (i, size) in bodies.iter().enumerate() {
        let index = imported_functions + u32::try_from(i).map_err(|e| e.to_string())?;
        let name = names
            .get(&index)
            .cloned()
            .unwrap_or_else(|| format!("code[{i}]"));
        *groups.entry(group_of(&name)).or_default() += size;
        top.push((*size, name));
    }
    // The code section's own headers (counts, sizes) go with the unnamed rest.
    let headers = total.saturating_sub(data + other + code_total);
    *groups.entry("data (strings, CSS, tables)").or_default() += data;
    *groups
        .entry("imports, exports, types, tables, section headers")
        .or_default() += other + headers;
    let mut groups: Vec<Share> = groups
        .into_iter()
        .map(|(what, bytes)| Share { what, bytes })
        .collect();
    groups.sort_by_key(|share| std::cmp::Reverse(share.bytes));
    top.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    top.truncate(15);
    Ok(Analysis { groups, top, total })
}

/// The analysis as Markdown: the groups, then the largest functions.
pub fn markdown(analysis: &Analysis) -> String {
    let mut out = String::from("| where | bytes (raw) | share |\n|---|---:|---:|\n");
    for share in &analysis.groups {
        let percent = 100.0 * share.bytes as f64 / analysis.total.max(1) as f64;
        out.push_str(&format!(
            "| {} | {} | {percent:.1} % |\n",
            share.what, share.bytes
        ));
    }
    out.push_str(&format!("| **total** | {} | |\n", analysis.total));
    out.push_str("\nLargest functions:\n\n| bytes | function |\n|---:|---|\n");
    for (size, name) in &analysis.top {
        let short: String = name.chars().take(110).collect();
        out.push_str(&format!("| {size} | `{}` |\n", short.replace('|', "\\|")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_grouped_by_where_they_come_from() {
        assert_eq!(
            group_of("bangtin::widgets::rating::view::View::render::h1"),
            "widget: rating"
        );
        assert_eq!(
            group_of("<lol_alloc::FreeListAllocator as core::alloc::global::GlobalAlloc>::alloc"),
            "allocator"
        );
        assert_eq!(
            group_of("core::fmt::write"),
            "formatting and panics (core::fmt, panic handler)"
        );
        assert_eq!(
            group_of("js_sys::futures::queue::Queue::schedule_task"),
            "wasm-bindgen, js-sys, web-sys (imports, closures)"
        );
        assert_eq!(
            group_of("bangtin::widgets::Slot<W>::drain"),
            "bangtin shared (registry, transport, DOM, options)"
        );
    }

    #[test]
    fn an_empty_module_has_nothing_to_share() {
        let empty = b"\0asm\x01\0\0\0";
        let analysis = analyze(empty).expect("parses");
        assert_eq!(analysis.total, 0);
        assert!(analysis.top.is_empty());
    }
}
