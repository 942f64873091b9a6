//! What a feed says, made safe to show: titles as plain NFC text (HTML removed, entities
//! decoded, control characters dropped, capped), links as absolute http(s) URLs only, and dates
//! in the forms Vietnamese newspapers write them (RFC 822 with `+0700` or `GMT+7`, RFC 3339,
//! and no zone at all, which means Vietnam's UTC+7).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use unicode_normalization::UnicodeNormalization;
use url::Url;

/// Longest title kept, in characters (longer ones end in "…").
pub const TITLE_MAX: usize = 300;
/// Longest section name kept, in characters.
pub const SECTION_MAX: usize = 60;
/// Longest link kept, in bytes.
pub const URL_MAX: usize = 2048;
/// Longest item id (guid) kept, in bytes; a longer guid is replaced by the link.
pub const ID_MAX: usize = 512;

/// Plain text from a title that may hold HTML: tags removed, entities decoded, whitespace runs
/// made one space, control characters dropped, NFC, trimmed, at most `max` characters.
pub fn plain_text(raw: &str, max: usize) -> String {
    tidy(&decode_entities(&strip_tags(raw)), max)
}

/// Text a moderator typed, as one clean line: NFC, whitespace runs made one space, control
/// characters and bidi overrides dropped, trimmed, at most `max` characters. (`<` stays text.)
pub fn tidy(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfc() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_invisible_format(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    cap(out, max)
}

/// Bidi overrides and isolates: they could turn the ticker's text around the title.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn cap(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Removes `<…>` tags (and HTML comments); text between them stays.
fn strip_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        // A lone `<` followed by a space or digit is text ("giá < 5 triệu").
        let starts_tag = after[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            out.push('<');
            rest = &after[1..];
            continue;
        }
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match end {
            Some(end) => {
                // A tag separates words (`Tin<br>mới`).
                out.push(' ');
                rest = &after[end..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes `&amp;`-style named entities (the common ones and Latin-1's, which Vietnamese CMSs
/// use for letters like `&ecirc;`) and numeric ones; unknown ones stay as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 32)
            .and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    let simple = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "euro" => '€',
        _ => return latin1(name),
    };
    Some(simple)
}

/// Latin-1's lettered entities (`&Agrave;` … `&yuml;`): `<letter><accent>`.
fn latin1(name: &str) -> Option<char> {
    const NAMES: [&str; 64] = [
        "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave",
        "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
        "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc",
        "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring",
        "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc",
        "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash",
        "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ];
    let at = NAMES.iter().position(|n| *n == name)?;
    char::from_u32(0xC0 + u32::try_from(at).ok()?)
}

/// The absolute http(s) URL of a link as a feed wrote it, resolved against the feed's own URL
/// when relative; `None` for anything else (`javascript:`, `data:`, `mailto:`, garbage).
pub fn safe_link(raw: &str, base: Option<&Url>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > URL_MAX {
        return None;
    }
    let url = match Url::parse(raw) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(raw).ok()?,
        Err(_) => return None,
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    if !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let text = String::from(url);
    (text.len() <= URL_MAX).then_some(text)
}

/// A feed date in any of the forms newspapers write, as UTC. feed-rs calls this for every date
/// it meets (its own lenient parser reads a zone-less date as UTC, which is 7 hours wrong here).
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let text = raw.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date.with_timezone(&Utc));
    }
    let text = normalize_zone(text);
    const ZONED: &[&str] = &[
        "%a, %d %b %Y %H:%M:%S %z",
        "%a, %d %b %Y %H:%M %z",
        "%d %b %Y %H:%M:%S %z",
        "%a, %d %B %Y %H:%M:%S %z",
        "%A, %d %B %Y %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%d/%m/%Y %H:%M:%S %z",
        "%d/%m/%Y %H:%M %z",
    ];
    for format in ZONED {
        if let Ok(date) = DateTime::parse_from_str(&text, format) {
            return Some(date.with_timezone(&Utc));
        }
    }
    const LOCAL: &[&str] = &[
        "%a, %d %b %Y %H:%M:%S",
        "%a, %d %b %Y %H:%M",
        "%d %b %Y %H:%M:%S",
        "%a, %d %B %Y %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    for format in LOCAL {
        if let Ok(local) = NaiveDateTime::parse_from_str(&text, format) {
            return in_vietnam(local);
        }
    }
    for format in ["%Y-%m-%d", "%d/%m/%Y"] {
        if let Ok(day) = NaiveDate::parse_from_str(&text, format) {
            return in_vietnam(day.and_hms_opt(0, 0, 0)?);
        }
    }
    None
}

fn in_vietnam(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // UTC+7 is within ±24 h: `east_opt` always answers.
    FixedOffset::east_opt(7 * 3600)?
        .from_local_datetime(&local)
        .single()
        .map(|date| date.with_timezone(&Utc))
}

/// `GMT+7`, `UTC+07:00`, `GMT+0700` and a trailing `ICT` (Indochina Time) written as `+0700`;
/// a trailing `GMT`/`UTC`/`Z` as `+0000`.
fn normalize_zone(text: &str) -> String {
    let upper = text.to_ascii_uppercase();
    for prefix in ["GMT", "UTC"] {
        if let Some(at) = upper.rfind(prefix) {
            let offset = upper[at + prefix.len()..].trim();
            let base = text[..at].trim_end();
            if offset.is_empty() {
                return format!("{base} +0000");
            }
            if let Some(zone) = offset_digits(offset) {
                return format!("{base} {zone}");
            }
        }
    }
    if let Some(base) = upper.strip_suffix(" ICT") {
        return format!("{} +0700", &text[..base.len()]);
    }
    text.to_owned()
}

/// `+7`, `+07`, `+7:00`, `+0700`, `-5` → `+0700`, `-0500`.
fn offset_digits(offset: &str) -> Option<String> {
    let (sign, digits) = match offset.as_bytes().first()? {
        b'+' => ('+', &offset[1..]),
        b'-' => ('-', &offset[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "00"),
    };
    let hours: u32 = hours.parse().ok().filter(|h| *h <= 14)?;
    let minutes: u32 = minutes.parse().ok().filter(|m| *m < 60)?;
    Some(format!("{sign}{hours:02}{minutes:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(raw: &str) -> Option<i64> {
        parse_date(raw).map(|d| d.timestamp_millis())
    }

    #[test]
    fn titles_lose_html_and_control_characters_and_become_nfc() {
        assert_eq!(
            plain_text("<b>Nóng:</b> Giá vàng &amp; USD &#8211; hôm nay", 300),
            "Nóng: Giá vàng & USD – hôm nay"
        );
        assert_eq!(
            plain_text("Vie\u{0302}\u{0323}t\tNam\u{7}\n", 300),
            "Việt Nam"
        );
        assert_eq!(plain_text("  Tin<br/>mới  ", 300), "Tin mới");
        assert_eq!(plain_text("Ti&ecirc;u &#x111;i&#7875;m", 300), "Tiêu điểm");
        assert_eq!(
            plain_text("giá < 5 triệu & hơn", 300),
            "giá < 5 triệu & hơn"
        );
        assert_eq!(plain_text("a\u{202E}b", 300), "ab");
        assert_eq!(plain_text(&"ạ".repeat(400), 10).chars().count(), 10);
        assert!(plain_text(&"ạ".repeat(400), 10).ends_with('…'));
    }

    #[test]
    fn only_absolute_http_links_survive() {
        let base = Url::parse("https://bao.example/rss/tin-moi.rss").ok();
        assert_eq!(
            safe_link("/thoi-su/a.html", base.as_ref()).as_deref(),
            Some("https://bao.example/thoi-su/a.html")
        );
        assert_eq!(
            safe_link("http://x.example/b", None).as_deref(),
            Some("http://x.example/b")
        );
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<b>",
            "mailto:a@b.vn",
            "",
            "https://user:pw@x.example/",
        ] {
            assert_eq!(safe_link(bad, base.as_ref()), None, "{bad}");
        }
        assert_eq!(safe_link("/relative", None), None);
    }

    #[test]
    fn dates_in_newspaper_forms_are_read_with_vietnam_as_the_default_zone() {
        let expected = Some(1_764_139_560_000); // 2025-11-26 13:46 +07:00
        assert_eq!(ms("Wed, 26 Nov 2025 13:46:00 +0700"), expected);
        assert_eq!(ms("2025-11-26T13:46:00+07:00"), expected);
        assert_eq!(ms("2025-11-26T06:46:00Z"), expected);
        assert_eq!(ms("Wed, 26 Nov 2025 13:46:00 GMT+7"), expected);
        assert_eq!(ms("Wed, 26 Nov 2025 06:46:00 GMT"), expected);
        assert_eq!(ms("Wed, 26 Nov 2025 13:46:00"), expected);
        assert_eq!(ms("2025-11-26 13:46:00"), expected);
        assert_eq!(ms("26/11/2025 13:46"), expected);
        assert_eq!(ms("Wed, 26 Nov 2025 13:46:00 UTC+07:00"), expected);
        assert_eq!(ms("Wed, 26 Nov 2025 13:46:00 ICT"), expected);
        assert_eq!(ms("hôm qua"), None);
        assert_eq!(ms(""), None);
    }
}
