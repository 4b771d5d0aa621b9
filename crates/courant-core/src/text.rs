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

/// Appends the words of `text` to `out` as a search matches them: lowercased, without accents
/// (letters decomposed and their combining marks dropped), one space before each word; anything
/// but a letter or a digit separates words. The store's own full-text indexes (the wire desk's)
/// index these words, and a query is folded the same way, so both dialects find the same items.
pub fn push_search_words(text: &str, out: &mut String) {
    let mut in_word = false;
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if !in_word {
                out.push(' ');
                in_word = true;
            }
            out.extend(c.to_lowercase());
        } else {
            in_word = false;
        }
    }
}

/// The text of an HTML fragment for [`push_search_words`]: tags and named entities become
/// spaces, numeric character references their character.
pub fn html_words(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = if after.starts_with('<') { after.find('>') } else { after.find(';').filter(|&e| e <= 12) };
        let number = end.and_then(|e| after[..e].strip_prefix("&#"));
        let code = number.and_then(|n| match n.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => n.parse().ok(),
        });
        // A character reference is part of its word; a tag or a named entity separates words.
        match code.and_then(char::from_u32) {
            Some(c) => out.push(c),
            None => out.push(' '),
        }
        rest = match end {
            Some(e) => &after[e + 1..],
            None => &after[1..],
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        let mut out = String::new();
        push_search_words(text, &mut out);
        out
    }

    #[test]
    fn search_words_fold_case_accents_and_punctuation() {
        assert_eq!(words("Café OWNERS, l'été — Covid-19!"), " cafe owners l ete covid 19");
        assert_eq!(words("Ёлка Straße ÅSE"), " елка straße ase");
        assert_eq!(words(" ... "), "");
    }

    #[test]
    fn html_words_drop_markup_and_keep_text() {
        let html = "<p class=\"x\">Port<strong>s</strong> &amp; ferries</p><p>caf&#233; &#x41;B &bogus</p>";
        assert_eq!(words(&html_words(html)), " port s ferries cafe ab bogus");
        assert_eq!(words(&html_words("a < b and c")), " a b and c", "a lone < is not a tag");
    }

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
