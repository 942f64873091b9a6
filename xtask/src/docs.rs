//! The README's option tables are generated from the widgets' option structs (one source of truth).
//! `cargo xtask docs` rewrites them; a test fails when README.md is out of date.

use crate::{root, Result};
use bangtin::config::{markdown_table, Options};

/// Every widget's generated table, by widget name.
pub fn tables() -> Vec<(&'static str, String)> {
    use bangtin::widgets::rating::RatingOptions;
    vec![(
        RatingOptions::WIDGET,
        markdown_table(&RatingOptions::spec()),
    )]
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
