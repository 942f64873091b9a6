//! What the server does to text before it checks and stores it: NFC, one kind of line break,
//! no control characters but `\n` (none at all in names), trimmed. The checks of the contract
//! (`bangtin_api::feedback::check_*`) then apply to the cleaned text, so what is stored is exactly
//! what was checked.

use unicode_normalization::UnicodeNormalization;

/// Cleans free text (a message or a reply): NFC; `\r\n` and `\r` become `\n`; a tab becomes a
/// space; every other control character (Unicode `Cc`) is dropped; surrounding whitespace goes.
pub fn clean_message(text: &str) -> String {
    clean(text, true)
}

/// Cleans a one-line field (a name or an email address): as [`clean_message`], but line breaks
/// become spaces.
pub fn clean_line(text: &str) -> String {
    clean(text, false)
}

fn clean(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.nfc().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if keep_newlines { '\n' } else { ' ' });
            }
            '\n' => out.push(if keep_newlines { '\n' } else { ' ' }),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    // Dropping a control character can bring a base character and a combining mark together:
    // normalize once more so that what is stored is NFC.
    let out: String = out.trim().nfc().collect();
    out
}

/// How many links `text` holds: each `http://`, `https://` or `www.` (in any case) that does
/// not continue the one before it.
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    let bytes = lower.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"https://") || rest.starts_with(b"http://") {
            count += 1;
            // Skip the scheme and a `www.` that follows it.
            i += if rest.starts_with(b"https://") { 8 } else { 7 };
            if bytes[i..].starts_with(b"www.") {
                i += 4;
            }
        } else if rest.starts_with(b"www.") {
            count += 1;
            i += 4;
        } else {
            i += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfc_trimmed_with_one_kind_of_line_break_and_no_controls() {
        assert_eq!(clean_message("  Vie\u{0302}\u{0323}t  "), "Việt");
        assert_eq!(clean_message("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(
            clean_message("a\u{0}b\u{7}c\u{1b}[31md\u{7f}\u{85}e"),
            "abc[31mde"
        );
        assert_eq!(clean_message("a\tb"), "a b");
        assert_eq!(clean_message("\n\n  x  \n"), "x");
        // Bidi and zero-width characters are format characters, not control characters: kept.
        assert_eq!(clean_message("a\u{202E}b\u{200B}c"), "a\u{202E}b\u{200B}c");
        // A control character between a base and its mark: the result is NFC all the same.
        assert_eq!(clean_message("e\u{0}\u{0301}"), "é");
    }

    #[test]
    fn one_line_fields_lose_their_line_breaks() {
        assert_eq!(clean_line("Nguyễn\r\nVăn\nAn"), "Nguyễn Văn An");
        assert_eq!(clean_line(" an@x.vn\n"), "an@x.vn");
    }

    #[test]
    fn links_are_counted_once_each() {
        assert_eq!(count_links("không có liên kết"), 0);
        assert_eq!(count_links("xem https://www.a.vn và www.b.vn"), 2);
        assert_eq!(count_links("HTTP://A.VN http://b.vn https://c.vn"), 3);
        assert_eq!(count_links("Www.A.vn"), 1);
    }
}
