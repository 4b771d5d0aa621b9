//! Newsletter emails: an edition and a confirmation request, each as HTML (tables, the
//! template's CSS inlined into style attributes, a media query kept for phones) and as plain
//! text. Links and pictures are absolute; the caller passes them so.

use crate::RenderError;
use minijinja::Environment;
use minijinja::value::Serde;
use serde::Serialize;

const TEMPLATES: &[(&str, &str)] = &[
    ("edition.html", include_str!("../../../templates/email/edition.html")),
    ("edition.txt", include_str!("../../../templates/email/edition.txt")),
    ("confirm.html", include_str!("../../../templates/email/confirm.html")),
    ("confirm.txt", include_str!("../../../templates/email/confirm.txt")),
];

/// A story in an edition.
#[derive(Debug, Clone, Serialize)]
pub struct EmailStory {
    pub headline: String,
    pub standfirst: String,
    /// Absolute.
    pub url: String,
    pub section: String,
    /// Absolute; none without a picture.
    pub image_url: Option<String>,
    pub image_alt: String,
}

/// An edition as it is mailed.
#[derive(Debug, Clone, Serialize)]
pub struct EditionEmail {
    pub lang: String,
    pub site_name: String,
    /// Without a trailing slash.
    pub site_url: String,
    pub list_name: String,
    pub subject: String,
    /// The intro's paragraphs.
    pub intro: Vec<String>,
    pub stories: Vec<EmailStory>,
    pub manage_url: String,
    pub unsubscribe_url: String,
}

/// A request to confirm a subscription.
#[derive(Debug, Clone, Serialize)]
pub struct ConfirmEmail {
    pub lang: String,
    pub site_name: String,
    pub site_url: String,
    /// The names of the lists asked for.
    pub lists: Vec<String>,
    pub confirm_url: String,
    /// How long the link works.
    pub hours: i64,
}

/// Renders emails.
pub struct EmailTemplates {
    env: Environment<'static>,
    inliner: css_inline::CSSInliner<'static>,
}

impl EmailTemplates {
    /// Loads (and so checks) every template.
    pub fn new() -> Result<EmailTemplates, RenderError> {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .map_err(|e| RenderError::Settings(e.to_string()))?,
        );
        // HTML escaping for .html, none for .txt (minijinja's default, by the name's ending).
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        let inliner = css_inline::CSSInliner::options().load_remote_stylesheets(false).keep_at_rules(true).build();
        Ok(EmailTemplates { env, inliner })
    }

    /// The edition's HTML and plain text.
    pub fn edition(&self, view: &EditionEmail) -> Result<(String, String), RenderError> {
        self.both("edition", view)
    }

    /// The confirmation request's HTML and plain text.
    pub fn confirmation(&self, view: &ConfirmEmail) -> Result<(String, String), RenderError> {
        self.both("confirm", view)
    }

    fn both(&self, name: &str, view: &impl Serialize) -> Result<(String, String), RenderError> {
        let html = self.env.get_template(&format!("{name}.html"))?.render(Serde(view))?;
        let html = self.inliner.inline(&html).map_err(|e| RenderError::Settings(format!("inlining CSS: {e}")))?;
        let text = self.env.get_template(&format!("{name}.txt"))?.render(Serde(view))?;
        Ok((html, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition() -> EditionEmail {
        EditionEmail {
            lang: "en".into(),
            site_name: "The Courant".into(),
            site_url: "https://news.example".into(),
            list_name: "Morning briefing".into(),
            subject: "The ferry is back".into(),
            intro: vec!["Good morning.".into(), "Three stories <today>.".into()],
            stories: vec![EmailStory {
                headline: "Ferry runs again & on time".into(),
                standfirst: "After two years.".into(),
                url: "https://news.example/news/2026/12/01/ferry".into(),
                section: "News".into(),
                image_url: Some("https://news.example/media/ab.jpg".into()),
                image_alt: "A ferry".into(),
            }],
            manage_url: "https://news.example/newsletters/manage?t=x".into(),
            unsubscribe_url: "https://news.example/newsletters/unsubscribe?t=x".into(),
        }
    }

    #[test]
    fn an_edition_is_inlined_html_and_plain_text() {
        let t = EmailTemplates::new().expect("templates");
        let (html, text) = t.edition(&edition()).expect("render");
        let doc = scraper::Html::parse_document(&html);
        let sel = |css: &str| scraper::Selector::parse(css).expect("selector");
        let headline = doc.select(&sel("h2 a")).next().expect("the headline's link");
        assert_eq!(headline.value().attr("href"), Some("https://news.example/news/2026/12/01/ferry"));
        assert_eq!(headline.text().collect::<String>(), "Ferry runs again & on time");
        assert!(headline.value().attr("style").is_some_and(|s| s.contains("text-decoration")), "CSS inlined: {html}");
        assert!(html.contains("@media"), "the phones' rule is kept");
        assert!(html.contains("Three stories &lt;today&gt;."), "escaped");
        let links: Vec<&str> = doc.select(&sel(".footer a, td a")).filter_map(|a| a.value().attr("href")).collect();
        assert!(links.contains(&"https://news.example/newsletters/unsubscribe?t=x"), "{links:?}");
        assert!(
            text.contains("Ferry runs again & on time\nAfter two years.\nhttps://news.example/news/2026/12/01/ferry"),
            "{text}"
        );
        assert!(text.contains("Unsubscribe: https://news.example/newsletters/unsubscribe?t=x"), "{text}");
        assert!(
            text.contains("Three stories <today>.") && !text.contains("&amp;"),
            "plain text is not escaped: {text}"
        );
    }

    #[test]
    fn a_confirmation_has_its_link() {
        let t = EmailTemplates::new().expect("templates");
        let view = ConfirmEmail {
            lang: "en".into(),
            site_name: "The Courant".into(),
            site_url: "https://news.example".into(),
            lists: vec!["Morning briefing".into(), "Sport".into()],
            confirm_url: "https://news.example/newsletters/confirm?t=abc".into(),
            hours: 48,
        };
        let (html, text) = t.confirmation(&view).expect("render");
        assert!(html.contains("href=\"https://news.example/newsletters/confirm?t=abc\""), "{html}");
        assert!(text.contains("Morning briefing, Sport") && text.contains("48 hours"), "{text}");
    }
}
