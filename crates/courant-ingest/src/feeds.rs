//! RSS, Atom and JSON Feed, read by feed-rs: each entry is an item of version 1, its time the
//! entry's update (a later one replaces an earlier one of the same id).

use crate::{IngestError, text_paragraphs};
use courant_core::WireItem;
use time::OffsetDateTime;

/// The entries of a feed as wire items; the feed's title is their source.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<WireItem>, IngestError> {
    let feed =
        feed_rs::parser::parse(bytes).map_err(|e| IngestError::Malformed(format!("not a readable feed: {e}")))?;
    let source = feed.title.as_ref().map(|t| plain(&t.content)).unwrap_or_default();
    let language = feed.language.clone().unwrap_or_default();
    Ok(feed
        .entries
        .into_iter()
        .map(|entry| {
            let body = match (&entry.content, &entry.summary) {
                (Some(content), _) if content.body.as_deref().is_some_and(|b| !b.trim().is_empty()) => {
                    let body = content.body.clone().unwrap_or_default();
                    if content.content_type.to_string().starts_with("text/plain") {
                        text_paragraphs(&body)
                    } else {
                        body
                    }
                }
                (_, Some(summary)) if summary.content_type.to_string().starts_with("text/plain") => {
                    text_paragraphs(&summary.content)
                }
                (_, Some(summary)) => summary.content.clone(),
                _ => String::new(),
            };
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.clone())
                .filter(|h| h.starts_with("http://") || h.starts_with("https://"))
                .unwrap_or_default();
            let pictures = entry
                .media
                .iter()
                .flat_map(|m| m.content.iter())
                .filter(|c| c.content_type.as_ref().is_none_or(|t| t.to_string().starts_with("image/")))
                .filter_map(|c| c.url.as_ref().map(|u| u.to_string()))
                .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
                .collect();
            let mut subjects: Vec<String> = Vec::new();
            for c in &entry.categories {
                let name = c.label.clone().unwrap_or_else(|| c.term.clone());
                let name = name.trim().to_string();
                if !name.is_empty() && !subjects.contains(&name) {
                    subjects.push(name);
                }
            }
            let byline = entry.authors.iter().filter_map(|p| p.name.clone()).collect::<Vec<_>>().join(", ");
            let published = entry.published.and_then(|t| at(t.timestamp()));
            let updated = entry.updated.and_then(|t| at(t.timestamp()));
            WireItem {
                source: source.clone(),
                guid: entry.id.clone(),
                version: 1,
                headline: entry.title.as_ref().map(|t| plain(&t.content)).unwrap_or_default(),
                byline: plain(&byline),
                dateline: String::new(),
                first_created: published.or(updated),
                version_created: updated.or(published),
                embargo: None,
                subjects,
                body_html: courant_render::markdown::sanitise_html(&body),
                pictures,
                urgency: None,
                link,
                language: entry.language.clone().unwrap_or_else(|| language.clone()),
            }
        })
        .collect())
}

fn at(seconds: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(seconds).ok()
}

/// A title's text: feeds put entities and tags in titles.
fn plain(html: &str) -> String {
    let cleaned = ammonia_text(html);
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an HTML fragment, entities decoded and tags dropped.
fn ammonia_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.to_string();
    }
    // The sanitiser keeps text and drops unknown tags; what remains is read back as text.
    let safe = courant_render::markdown::sanitise_html(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in safe.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
