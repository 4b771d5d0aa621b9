//! Stories from wire copy: a draft started from an item (its headline and first paragraph for
//! the writer to rewrite), crediting the item's agency as a source, with the item kept as the
//! story's provenance; and the embargo check publishing makes.

use crate::{Newsroom, Refusal};
use courant_core::*;
use courant_store::Write;
use time::OffsetDateTime;

impl Newsroom {
    /// Starts a draft owned by `by` in `section` from wire items `items`: the first one's
    /// headline and first paragraph, each item's agency as a source (found by name, else added
    /// as an agency), and every item linked to the story. Anyone in the newsroom may.
    pub async fn write_from_wire(&self, by: &User, items: &[i64], section: SectionId) -> Result<ArticleId, Refusal> {
        if items.is_empty() {
            return Err(Refusal::invalid("Wire copy", "choose the items to write from."));
        }
        let mut stored = Vec::with_capacity(items.len());
        for item in items {
            stored.push(self.store.wire_item(*item).await?.ok_or(Refusal::NotFound("wire item"))?);
        }
        if !self.store.sections().await?.iter().any(|s| s.id == section) {
            return Err(Refusal::invalid("Section", "choose one of the sections."));
        }
        let now = OffsetDateTime::now_utc();
        let mut write = self.store.write().await?;
        let mut known = self.store.sources().await?;
        let mut source_ids = Vec::new();
        for item in &stored {
            if let Some(id) = agency(&mut write, &mut known, &item.item.source).await?
                && !source_ids.contains(&id)
            {
                source_ids.push(id);
            }
        }
        let first = &stored[0].item;
        let draft = ArticleDraft {
            headline: first.headline.chars().take(MAX_HEADLINE_CHARS).collect(),
            body: first_paragraph(&first.body_html),
            section_id: Some(section),
            author_ids: by.author_id.into_iter().collect(),
            source_ids,
            ..ArticleDraft::default()
        };
        let id = write.create_article(&draft, by.id, now).await.map_err(Refusal::from_store)?;
        for item in &stored {
            write.link_wire_item(id, item.id).await?;
        }
        write.commit().await?;
        tracing::info!(article = id.0, wire_items = items.len(), user = by.id.0, "story started from wire copy");
        Ok(id)
    }
}

/// The source crediting `name`: the registry's of that name (`sources`), else a new agency,
/// added to `sources` for the next item. None for an item without a source.
async fn agency(write: &mut Write, sources: &mut Vec<Source>, name: &str) -> Result<Option<SourceId>, Refusal> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if let Some(known) = sources.iter().find(|s| s.name.eq_ignore_ascii_case(name)) {
        return Ok(Some(known.id));
    }
    let new = NewSource { name: name.to_string(), kind: "agency".into(), ..NewSource::default() };
    let source = write.insert_source(new).await.map_err(Refusal::from_store)?;
    let id = source.id;
    sources.push(source);
    Ok(Some(id))
}

/// The first paragraph of sanitised HTML as Markdown text: tags dropped, entities read, the
/// characters Markdown would take as markup escaped.
fn first_paragraph(html: &str) -> String {
    let start = html.find("<p").and_then(|i| html[i..].find('>').map(|j| i + j + 1)).unwrap_or(0);
    let end = html[start..].find("</p>").map_or(html.len(), |i| start + i);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(text.len());
    for c in text.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Why a story cannot go public at `at`: each wire item it was written from that is under
/// embargo then, named with its agency and the embargo's end. Empty when nothing holds it.
pub(crate) async fn embargoes(write: &mut Write, id: ArticleId, at: OffsetDateTime) -> Result<Vec<String>, Refusal> {
    Ok(write
        .wire_embargoes(id)
        .await?
        .into_iter()
        .filter(|(_, _, until)| *until > at)
        .map(|(headline, source, until)| {
            let when = until.format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC"));
            format!("“{headline}” ({source}) is under embargo until {}", when.unwrap_or_default())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_paragraph_becomes_plain_markdown() {
        let html = "<p>GROSSETO, Italy (AP) -- The <em>trial</em> of 5 * 3 &amp; [more] has begun.</p><p>Second.</p>";
        assert_eq!(first_paragraph(html), "GROSSETO, Italy (AP) -- The trial of 5 \\* 3 & \\[more\\] has begun.");
        assert_eq!(first_paragraph(""), "");
    }
}
