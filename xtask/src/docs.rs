//! The README's option tables are generated from the widgets' option structs (one source of truth).
//! `cargo xtask docs` rewrites them; a test fails when README.md is out of date.

use crate::{root, Result};
use bangtin::OptSpec;

/// Every widget's generated table, by widget name, from the widget crate's one list.
pub fn tables() -> Vec<(&'static str, String)> {
    bangtin::catalog()
        .into_iter()
        .map(|widget| (widget.name, markdown_table(&widget.options)))
        .collect()
}

/// Renders an options table as the Markdown the README carries.
pub fn markdown_table(spec: &[OptSpec]) -> String {
    let mut out = String::from("| Attribute | Type | Default | Allowed | Description |\n");
    out.push_str("|---|---|---|---|---|\n");
    for row in spec {
        let default = if row.default.is_empty() {
            "—".to_string()
        } else {
            ["`", row.default, "`"].concat()
        };
        let cells = [
            ["`", row.name, "`"].concat(),
            row.ty.to_string(),
            default,
            row.allowed.replace('|', "\\|"),
            row.doc.replace('\n', " ").replace('|', "\\|"),
        ];
        out.push_str("| ");
        out.push_str(&cells.join(" | "));
        out.push_str(" |\n");
    }
    out
}

/// `readme` with the text between `<!-- options:NAME -->` and `<!-- /options:NAME -->` replaced.
pub fn render(readme: &str) -> Result<String> {
    let mut out = readme.to_string();
    for (widget, table) in tables() {
        let open = format!("<!-- options:{widget} -->\n");
        let close = format!("<!-- /options:{widget} -->");
        let start = out
            .find(&open)
            .ok_or(format!("README.md lacks the marker {}", open.trim()))?
            + open.len();
        let end = out[start..]
            .find(&close)
            .ok_or(format!("README.md lacks the marker {close}"))?
            + start;
        out.replace_range(start..end, &table);
    }
    Ok(out)
}

/// Rewrites README.md's option tables.
pub fn write() -> Result {
    let path = root().join("README.md");
    let readme =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read README.md: {e}"))?;
    std::fs::write(&path, render(&readme)?).map_err(|e| format!("cannot write README.md: {e}"))?;
    println!("README.md option tables updated");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_option_tables_match_the_widget_crate() {
        let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
        let rendered = render(&readme).expect("markers present");
        assert!(
            rendered == readme,
            "README.md option tables are stale: run `cargo xtask docs`"
        );
    }
}
