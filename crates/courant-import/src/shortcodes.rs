//! WordPress shortcodes (`[caption]…[/caption]`, `[embed]URL[/embed]`, `[gallery ids="…"]`)
//! turned into the HTML WordPress would have shown, before the body is converted. Only names
//! WordPress or its common plugins register are touched, plus any `[name]…[/name]` pair; a
//! bracket in prose (`[sic]`, `[1]`) stays as written.

/// Shortcodes whose output is a link to what they embed (their content or `src`/`url`).
const EMBEDS: &[&str] =
    &["embed", "audio", "video", "playlist", "youtube", "vimeo", "tweet", "instagram", "soundcloud"];

/// Shortcodes left out whole, with what the report says.
const DROPPED: &[(&str, &str)] = &[("gallery", "a gallery left out (galleries are not imported)")];

/// Shortcodes whose content is code, kept as a code block.
const CODE: &[&str] = &["code", "sourcecode"];

/// The body with shortcodes expanded; what was changed or left out is added to `warnings`.
pub fn expand(content: &str, warnings: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        match parse_open(tail) {
            Some(tag) if tag.name != "/" => {
                let close = format!("[/{}]", tag.name);
                let after = &tail[tag.len..];
                let (inner, consumed) = match after.find(&close) {
                    Some(end) if !tag.self_closing => (Some(&after[..end]), tag.len + end + close.len()),
                    _ => (None, tag.len),
                };
                match render(&tag, inner, warnings) {
                    Some(html) => {
                        out.push_str(&html);
                        rest = &tail[consumed..];
                    }
                    None => {
                        out.push('[');
                        rest = &tail[1..];
                    }
                }
            }
            _ => {
                out.push('[');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An opening tag: `[name attr="v" attr2=v2]`.
#[derive(Debug)]
struct Open<'a> {
    name: &'a str,
    attributes: Vec<(String, String)>,
    /// What follows the name (`[audio https://…]` gives its address there, unnamed).
    raw: &'a str,
    /// Its length in bytes, brackets included.
    len: usize,
    self_closing: bool,
}

impl Open<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn parse_open(s: &str) -> Option<Open<'_>> {
    let end = s.find(']')?;
    let inside = &s[1..end];
    if inside.contains('[') || inside.len() > 2000 {
        return None;
    }
    let name_end = inside.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(inside.len());
    let name = &inside[..name_end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return None;
    }
    let self_closing = inside.trim_end().ends_with('/');
    Some(Open {
        name,
        attributes: attributes(&inside[name_end..]),
        raw: &inside[name_end..],
        len: end + 1,
        self_closing,
    })
}

/// `a="x" b='y' c=z` pairs, names lowercased.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim().trim_end_matches('/');
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().to_ascii_lowercase();
        let value_part = rest[eq + 1..].trim_start();
        let (value, next) = match value_part.chars().next() {
            Some(q @ ('"' | '\'')) => match value_part[1..].find(q) {
                Some(end) => (&value_part[1..1 + end], &value_part[end + 2..]),
                None => (&value_part[1..], ""),
            },
            _ => {
                let end = value_part.find(char::is_whitespace).unwrap_or(value_part.len());
                (&value_part[..end], &value_part[end..])
            }
        };
        out.push((name, value.to_string()));
        rest = next.trim_start();
    }
    out
}

/// The HTML for a shortcode, or none to leave the bracket as text.
fn render(tag: &Open<'_>, inner: Option<&str>, warnings: &mut Vec<String>) -> Option<String> {
    let name = tag.name.to_ascii_lowercase();
    if name == "caption" || name == "wp_caption" {
        let inner = inner?;
        // The caption is the text after the picture (or its link); older ones use caption="".
        let split = inner.rfind('>').map_or(0, |i| i + 1);
        let (picture, text) = inner.split_at(split);
        let caption = tag.attribute("caption").map(str::to_string).unwrap_or_else(|| text.trim().to_string());
        return Some(format!("<figure>{picture}<figcaption>{caption}</figcaption></figure>"));
    }
    if EMBEDS.contains(&name.as_str()) {
        let url = tag
            .attribute("src")
            .or_else(|| tag.attribute("url"))
            .or_else(|| tag.attribute("mp3"))
            .or_else(|| tag.attribute("mp4"))
            .map(str::to_string)
            .or_else(|| {
                let raw = tag.raw.trim().trim_end_matches('/').trim();
                raw.starts_with("http").then(|| raw.split_whitespace().next().unwrap_or_default().to_string())
            })
            .or_else(|| inner.map(|i| i.trim().to_string()))
            .unwrap_or_default();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            warnings.push(format!("[{name}] without an address left out"));
            return Some(String::new());
        }
        return Some(format!("<p><iframe src=\"{}\"></iframe></p>", courant_core::escape_html(&url)));
    }
    if let Some((_, message)) = DROPPED.iter().find(|(n, _)| *n == name) {
        warnings.push((*message).to_string());
        return Some(String::new());
    }
    if CODE.contains(&name.as_str()) {
        return Some(format!("<pre>{}</pre>", inner?.replace('<', "&lt;")));
    }
    // Any other pair: a plugin's shortcode this site will not run. Its text is kept.
    let inner = inner?;
    warnings.push(format!("unknown shortcode [{name}] removed, its text kept"));
    Some(inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> (String, Vec<String>) {
        let mut w = Vec::new();
        (expand(s, &mut w), w)
    }

    #[test]
    fn captions_become_figures() {
        let (html, w) = run(
            r#"[caption id="a" align="alignnone" width="300"]<img src="/a.jpg" alt="A boat"> The harbour at dawn[/caption]"#,
        );
        assert_eq!(
            html,
            r#"<figure><img src="/a.jpg" alt="A boat"><figcaption>The harbour at dawn</figcaption></figure>"#
        );
        assert!(w.is_empty());
    }

    #[test]
    fn embeds_become_links_and_galleries_are_reported() {
        let (html, _) = run("[embed]https://video.example/v/1[/embed]");
        assert!(html.contains("src=\"https://video.example/v/1\""), "{html}");
        let (html, w) = run("[audio https://sound.example/a.mp3]");
        assert!(html.contains("src=\"https://sound.example/a.mp3\""), "{html}");
        assert!(w.is_empty(), "{w:?}");
        let (html, w) = run("Before [gallery ids=\"1,2\"] after");
        assert_eq!(html, "Before  after");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn brackets_in_prose_stay_and_unknown_pairs_keep_their_text() {
        let (html, w) = run("He said [sic] it was [1] of many.");
        assert_eq!(html, "He said [sic] it was [1] of many.");
        assert!(w.is_empty());
        let (html, w) = run("[pullout align=\"right\"]Kept words[/pullout]");
        assert_eq!(html, "Kept words");
        assert_eq!(w, vec!["unknown shortcode [pullout] removed, its text kept".to_string()]);
    }
}
