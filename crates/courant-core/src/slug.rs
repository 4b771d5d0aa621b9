//! Slugs: the URL-safe names of articles, sections, authors, tags and sources.
//!
//! Titles in any script become readable ASCII: Latin letters lose their accents, Cyrillic,
//! Greek and other scripts are transliterated (`deunicode`), so a Russian headline gives a slug a
//! reader can still type. Emoji become their names
//! ("🎉" gives "tada"); what cannot be transliterated (most symbols) is dropped, and a title made
//! only of such characters yields an empty slug, which the store replaces by a fallback.

/// The longest slug we generate, in bytes; longer titles are cut at a word boundary.
pub const MAX_SLUG_LEN: usize = 80;

/// Turns a title into a slug: lowercase ASCII letters and digits separated by single hyphens,
/// at most [`MAX_SLUG_LEN`] bytes, never starting or ending with a hyphen.
pub fn slugify(title: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(title, " ");
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Mayor's office" reads better as "mayors-office" than "mayor-s-office".
        } else {
            pending_hyphen = true;
        }
    }
    truncate_at_word(slug, MAX_SLUG_LEN)
}

fn truncate_at_word(slug: String, max: usize) -> String {
    if slug.len() <= max {
        return slug;
    }
    let cut = &slug[..max];
    match cut.rfind('-') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut.trim_end_matches('-').to_string(),
    }
}

/// True when `s` is a well-formed slug (what [`slugify`] produces, or an editor typed correctly).
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_LEN
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug with a numeric suffix, for the `n`-th title that would otherwise collide (`n >= 2`).
pub fn with_suffix(slug: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let keep = MAX_SLUG_LEN.saturating_sub(suffix.len());
    let base = if slug.len() > keep { slug[..keep].trim_end_matches('-') } else { slug };
    format!("{base}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn latin_titles() {
        assert_eq!(slugify("Rail strike halts trains"), "rail-strike-halts-trains");
        assert_eq!(slugify("  Café owners' rents rise 12%!  "), "cafe-owners-rents-rise-12");
        assert_eq!(slugify("Mayor's office: \"No comment\""), "mayors-office-no-comment");
    }

    #[test]
    fn other_scripts_transliterate() {
        assert_eq!(slugify("Привет, мир"), "privet-mir");
        assert_eq!(slugify("Ελλάδα"), "ellada");
        assert!(!slugify("東京の天気").is_empty());
    }

    #[test]
    fn symbols_only_give_empty() {
        assert_eq!(slugify("★ → • !!!"), "");
        assert_eq!(slugify("🎉"), "tada");
    }

    #[test]
    fn long_titles_cut_at_word() {
        let s = slugify(&"word ".repeat(40));
        assert!(s.len() <= MAX_SLUG_LEN);
        assert!(s.ends_with("word"));
    }

    #[test]
    fn suffixes_stay_within_length() {
        let long = "a".repeat(MAX_SLUG_LEN);
        let s = with_suffix(&long, 12);
        assert!(s.len() <= MAX_SLUG_LEN && s.ends_with("-12") && is_valid_slug(&s));
        assert_eq!(with_suffix("budget-vote", 2), "budget-vote-2");
    }

    proptest! {
        #[test]
        fn slugify_output_is_always_valid_or_empty(title in "\\PC{0,200}") {
            let s = slugify(&title);
            prop_assert!(s.is_empty() || is_valid_slug(&s), "bad slug {s:?} from {title:?}");
        }

        #[test]
        fn slugify_is_idempotent(title in "\\PC{0,120}") {
            let s = slugify(&title);
            prop_assert_eq!(slugify(&s), s.clone());
        }
    }
}
