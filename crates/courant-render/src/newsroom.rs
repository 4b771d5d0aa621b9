//! The newsroom's pages: one minijinja environment over `templates/newsroom/`, rendered from
//! view structs the web crate builds, and word-level diffs between revisions.

use crate::RenderError;
use minijinja::Environment;
use minijinja::value::Serde;
use serde::Serialize;

/// Templates, embedded in the binary.
const TEMPLATES: &[(&str, &str)] = &[
    ("newsroom/base.html", include_str!("../../../templates/newsroom/base.html")),
    ("newsroom/macros.html", include_str!("../../../templates/newsroom/macros.html")),
    ("newsroom/login.html", include_str!("../../../templates/newsroom/login.html")),
    ("newsroom/reset.html", include_str!("../../../templates/newsroom/reset.html")),
    ("newsroom/account.html", include_str!("../../../templates/newsroom/account.html")),
    ("newsroom/import.html", include_str!("../../../templates/newsroom/import.html")),
    ("newsroom/wire.html", include_str!("../../../templates/newsroom/wire.html")),
    ("newsroom/wire_rows.html", include_str!("../../../templates/newsroom/wire_rows.html")),
    ("newsroom/wire_item.html", include_str!("../../../templates/newsroom/wire_item.html")),
    ("newsroom/wire_feeds.html", include_str!("../../../templates/newsroom/wire_feeds.html")),
    ("newsroom/front.html", include_str!("../../../templates/newsroom/front.html")),
    ("newsroom/site_pages.html", include_str!("../../../templates/newsroom/site_pages.html")),
    ("newsroom/site_page.html", include_str!("../../../templates/newsroom/site_page.html")),
    ("newsroom/site_page_fields.html", include_str!("../../../templates/newsroom/site_page_fields.html")),
    ("newsroom/dashboard.html", include_str!("../../../templates/newsroom/dashboard.html")),
    ("newsroom/articles.html", include_str!("../../../templates/newsroom/articles.html")),
    ("newsroom/editor.html", include_str!("../../../templates/newsroom/editor.html")),
    ("newsroom/revisions.html", include_str!("../../../templates/newsroom/revisions.html")),
    ("newsroom/diff.html", include_str!("../../../templates/newsroom/diff.html")),
    ("newsroom/media.html", include_str!("../../../templates/newsroom/media.html")),
    ("newsroom/image.html", include_str!("../../../templates/newsroom/image.html")),
    ("newsroom/sections.html", include_str!("../../../templates/newsroom/sections.html")),
    ("newsroom/section.html", include_str!("../../../templates/newsroom/section.html")),
    ("newsroom/tags.html", include_str!("../../../templates/newsroom/tags.html")),
    ("newsroom/authors.html", include_str!("../../../templates/newsroom/authors.html")),
    ("newsroom/author.html", include_str!("../../../templates/newsroom/author.html")),
    ("newsroom/sources.html", include_str!("../../../templates/newsroom/sources.html")),
    ("newsroom/source.html", include_str!("../../../templates/newsroom/source.html")),
    ("newsroom/users.html", include_str!("../../../templates/newsroom/users.html")),
    ("newsroom/user.html", include_str!("../../../templates/newsroom/user.html")),
    ("newsroom/audit.html", include_str!("../../../templates/newsroom/audit.html")),
    ("newsroom/newsletter_fields.html", include_str!("../../../templates/newsroom/newsletter_fields.html")),
    ("newsroom/newsletters.html", include_str!("../../../templates/newsroom/newsletters.html")),
    ("newsroom/newsletter.html", include_str!("../../../templates/newsroom/newsletter.html")),
    ("newsroom/edition.html", include_str!("../../../templates/newsroom/edition.html")),
    ("newsroom/subscribers.html", include_str!("../../../templates/newsroom/subscribers.html")),
    ("newsroom/settings.html", include_str!("../../../templates/newsroom/settings.html")),
    ("newsroom/message.html", include_str!("../../../templates/newsroom/message.html")),
];

/// Renders the newsroom's pages.
pub struct NewsroomTemplates {
    env: Environment<'static>,
}

impl NewsroomTemplates {
    /// Loads (and so checks) every template.
    pub fn new() -> Result<NewsroomTemplates, RenderError> {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .map_err(|e| RenderError::Settings(e.to_string()))?,
        );
        env.set_formatter(crate::pages::html_formatter);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(NewsroomTemplates { env })
    }

    /// Renders `newsroom/{name}.html` with a view.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<String, RenderError> {
        let template = self.env.get_template(&format!("newsroom/{name}.html"))?;
        Ok(template.render(Serde(view))?)
    }
}

/// A word-level diff of two texts as safe HTML: escaped text, removed words in `<del>` and added
/// words in `<ins>`. Line breaks are kept.
pub fn diff_html(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::configure().timeout(std::time::Duration::from_millis(200)).diff_unicode_words(old, new);
    let mut out = String::with_capacity(old.len().max(new.len()) + 64);
    for change in diff.iter_all_changes() {
        let text = courant_core::escape_html(change.value());
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => {
                out.push_str("<del>");
                out.push_str(&text);
                out.push_str("</del>");
            }
            ChangeTag::Insert => {
                out.push_str("<ins>");
                out.push_str(&text);
                out.push_str("</ins>");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_mark_words_and_escape_text() {
        let html = diff_html("The harbour <b>reopens</b> today", "The harbour <b>reopened</b> on Monday");
        assert!(html.starts_with("The harbour &lt;b&gt;"), "{html}");
        assert!(html.contains("<del>reopens</del>") && html.contains("<ins>reopened</ins>"), "{html}");
        assert!(html.contains("<del>today</del>") && html.contains("<ins>on</ins>"), "{html}");
        assert!(!html.contains("<b>"), "no markup from the texts: {html}");
        assert_eq!(diff_html("same", "same"), "same");
    }
}
