//! Every item for the newspaper's records, with email, status, reasons and replies: as JSON, or
//! as CSV that Excel opens with Vietnamese intact (UTF-8 with a byte-order mark, RFC 4180
//! quoting, CRLF) and cannot mistake for formulas (a cell starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return gets a leading `'`).
//!
//! Used by `GET /api/v1/admin/export` and `bangtin-server moderator export`.

use serde_json::{json, Value};

use super::store::{Feedback, Reply};

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// The file, in `format`.
pub fn render(format: Format, items: &[(Feedback, Vec<Reply>)], now_ms: i64) -> Vec<u8> {
    match format {
        Format::Json => json_export(items, now_ms),
        Format::Csv => csv_export(items),
    }
}

/// `bangtin-feedback-YYYYMMDD.EXT` (UTC date).
pub fn file_name(format: Format, now_ms: i64) -> String {
    let (y, m, d, ..) = civil(now_ms);
    format!("bangtin-feedback-{y:04}{m:02}{d:02}.{}", format.extension())
}

fn json_export(items: &[(Feedback, Vec<Reply>)], now_ms: i64) -> Vec<u8> {
    let items: Vec<Value> = items
        .iter()
        .map(|(f, replies)| {
            json!({
                "id": f.id,
                "article": f.article,
                "name": f.name,
                "email": f.email,
                "message": f.message,
                "status": f.status.as_str(),
                "deleted_at": f.deleted_ms,
                "reasons": f.reasons,
                "created_at": f.created_ms,
                "updated_at": f.updated_ms,
                "likes": f.likes,
                "replies": replies.iter().map(|r| json!({
                    "id": r.id,
                    "message": r.message,
                    "created_at": r.created_ms,
                    "moderator": r.moderator,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&json!({ "exported_at": now_ms, "items": items }))
        .unwrap_or_default();
    out.push(b'\n');
    out
}

const CSV_COLUMNS: [&str; 12] = [
    "id",
    "article",
    "status",
    "deleted_at",
    "name",
    "email",
    "message",
    "reasons",
    "created_at",
    "updated_at",
    "likes",
    "replies",
];

fn csv_export(items: &[(Feedback, Vec<Reply>)]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    for (f, replies) in items {
        let replies = replies
            .iter()
            .map(|r| format!("[{} {}] {}", iso(r.created_ms), r.moderator, r.message))
            .collect::<Vec<_>>()
            .join("\n\n");
        push_row(
            &mut out,
            [
                f.id.clone(),
                f.article.clone(),
                f.status.as_str().to_owned(),
                f.deleted_ms.map(iso).unwrap_or_default(),
                f.name.clone(),
                f.email.clone().unwrap_or_default(),
                f.message.clone(),
                f.reasons.join(","),
                iso(f.created_ms),
                iso(f.updated_ms),
                f.likes.to_string(),
                replies,
            ]
            .into_iter(),
        );
    }
    out.into_bytes()
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

/// One cell: guarded against formulas, then quoted if it holds `,`, `"`, CR or LF (RFC 4180).
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a time in milliseconds.
pub fn iso(ms: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil(ms);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

/// The UTC calendar date and time of `ms` (Howard Hinnant's `civil_from_days`).
fn civil(ms: i64) -> (i64, i64, i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_as_rfc_4180_says_and_formulas_are_defused() {
        assert_eq!(csv_cell("Việt"), "Việt");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("a\nb"), "\"a\nb\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("+84 90"), "'+84 90");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_cell("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_764_164_760_000), "2025-11-26T13:46:00Z");
        assert_eq!(iso(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(
            file_name(Format::Csv, 1_764_164_760_000),
            "bangtin-feedback-20251126.csv"
        );
    }
}
