//! Text as it enters the store: one form of every character (Unicode NFC, so "é" typed two ways
//! is one word to search and to compare) and no control characters but tab and newline (what a
//! pasted vertical tab, an ESC or a NUL would otherwise carry into pages, feeds and the store).
//! Carriage returns go too: a browser sends a textarea's line ends as CR LF.

use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Text for HTML text and quoted attribute values: `& < > " '` escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 forbids the character anywhere in a document: the C0 controls but tab,
/// newline and carriage return, and the non-characters U+FFFE and U+FFFF.
pub fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether a character is dropped from text entering the store.
fn dropped(c: char) -> bool {
    c == '\r' || forbidden_in_xml(c)
}

/// The text in NFC without control characters but tab and newline; borrowed when it is so
/// already (nearly always).
pub fn clean_text(text: &str) -> Cow<'_, str> {
    let controls = text.chars().any(dropped);
    let composed = matches!(is_nfc_quick(text.chars()), IsNormalized::Yes);
    if !controls && composed {
        return Cow::Borrowed(text);
    }
    let kept = text.chars().filter(|&c| !dropped(c));
    Cow::Owned(if composed { kept.collect() } else { kept.nfc().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_go_and_characters_compose() {
        assert!(matches!(clean_text("Plain words.\nAnd a\ttab."), Cow::Borrowed(_)));
        assert_eq!(clean_text("Line\u{B}break"), "Linebreak");
        assert_eq!(clean_text("\u{0}Name"), "Name");
        assert_eq!(clean_text("A\u{1B}[31mred"), "A[31mred");
        assert_eq!(clean_text("one\r\ntwo\r\n"), "one\ntwo\n");
        assert_eq!(clean_text("Cafe\u{301}"), "Caf\u{E9}");
        assert_eq!(clean_text("e\u{301}\u{0}"), "\u{E9}");
        assert_eq!(clean_text("\u{FFFF}x"), "x");
    }

    #[test]
    fn xml_forbids_what_the_spec_says() {
        for c in ['\u{0}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(forbidden_in_xml(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', ' ', '\u{7F}', '\u{85}', '\u{FFFD}', '\u{10FFFF}'] {
            assert!(!forbidden_in_xml(c), "{c:?}");
        }
    }
}
