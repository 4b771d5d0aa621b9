//! Searching: a reader's query with its filters and order, pages of results, and snippets of
//! text with the matching words marked.

use crate::{SearchError, SearchIndex};
use courant_core::ArticleId;
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Order, TantivyDocument, Term};
use time::OffsetDateTime;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

/// A search: the reader's words and the filters.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Any of these sections (a section with its descendants).
    pub section_id: Option<i64>,
    pub tag_slug: Option<String>,
    pub author_slug: Option<String>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

/// A page of results.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub ids: Vec<ArticleId>,
    pub total: usize,
}

impl SearchIndex {
    fn text_query(&self, text: &str) -> Box<dyn Query> {
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.headline, f.standfirst, f.body, f.tags, f.authors]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.headline, 3.0);
        parser.set_field_boost(f.tags, 2.0);
        parser.set_field_boost(f.authors, 2.0);
        parser.set_field_boost(f.standfirst, 1.5);
        // Lenient: unbalanced quotes and stray operators are read as well as they can be, never refused.
        let (query, _errors) = parser.parse_query_lenient(text);
        query
    }

    /// Finds published articles for a reader's query.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let f = self.fields;
        let text = q.text.trim();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, if text.is_empty() { Box::new(AllQuery) } else { self.text_query(text) })];
        if let Some(section) = q.section_id {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_i64(f.section, section), IndexRecordOption::Basic)),
            ));
        }
        for (field, value) in [(f.tag_slug, &q.tag_slug), (f.author_slug, &q.author_slug)] {
            if let Some(v) = value {
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic)),
                ));
            }
        }
        if q.since.is_some() || q.until.is_some() {
            let lower = q
                .since
                .map_or(Bound::Unbounded, |t| Bound::Included(Term::from_field_i64(f.published, t.unix_timestamp())));
            let upper = q
                .until
                .map_or(Bound::Unbounded, |t| Bound::Excluded(Term::from_field_i64(f.published, t.unix_timestamp())));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let limit = q.limit.clamp(1, 100);
        let addresses: Vec<tantivy::DocAddress> = match q.sort {
            Sort::Relevance => searcher
                .search(&query, &TopDocs::with_limit(limit).and_offset(q.offset).order_by_score())?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
            Sort::Newest => searcher
                .search(
                    &query,
                    &TopDocs::with_limit(limit)
                        .and_offset(q.offset)
                        .order_by_fast_field::<i64>("published", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
        };
        let total = searcher.search(&query, &Count)?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let d: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = d.get_first(f.id).and_then(|v| v.as_u64()) {
                ids.push(ArticleId(id as i64));
            }
        }
        Ok(SearchResults { ids, total })
    }

    /// An HTML snippet of `text` (plain text) around the words of `query`, with the matches in
    /// `<mark>` and everything else escaped. Falls back to the text's start when nothing matches.
    /// It starts and ends on whole words, with an ellipsis where the text goes on.
    pub fn snippet(&self, query: &str, text: &str, max_chars: usize) -> Result<String, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let parsed = self.text_query(query);
        let mut generator = SnippetGenerator::create(&searcher, &*parsed, f.body)?;
        generator.set_max_num_chars(max_chars);
        let snippet = generator.snippet(text);
        let text = text.trim();
        if snippet.fragment().is_empty() {
            let start = words_within(text, max_chars);
            let more = if start.len() < text.len() { "…" } else { "" };
            return Ok(format!("{}{more}", escape(start)));
        }
        let fragment = snippet.fragment();
        let at_start = text.find(fragment.trim()).unwrap_or(0);
        let mut html = String::new();
        if at_start > 0 {
            html.push('…');
        }
        let mut at = 0;
        for range in snippet.highlighted() {
            html.push_str(&escape(&fragment[at..range.start]));
            html.push_str("<mark>");
            html.push_str(&escape(&fragment[range.clone()]));
            html.push_str("</mark>");
            at = range.end;
        }
        html.push_str(&escape(&fragment[at..]));
        if at_start + fragment.trim().len() < text.len() {
            html.push('…');
        }
        Ok(html)
    }
}

/// The longest start of `text` of at most `max_chars` characters that ends with a whole word
/// (the first word cut, if it alone is longer).
fn words_within(text: &str, max_chars: usize) -> &str {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else { return text };
    let head = &text[..cut];
    if text[cut..].starts_with(char::is_whitespace) {
        return head.trim_end();
    }
    match head.rfind(char::is_whitespace) {
        Some(space) => head[..space].trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';'),
        None => head,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod word_tests {
    use super::words_within;

    #[test]
    fn a_start_of_text_ends_on_a_whole_word() {
        assert_eq!(words_within("The harbour cranes return", 14), "The harbour");
        assert_eq!(words_within("The harbour cranes", 11), "The harbour");
        assert_eq!(words_within("short", 40), "short");
        assert_eq!(words_within("Unbreakablewordhere", 5), "Unbre");
        assert_eq!(words_within("Élan vital, encore", 12), "Élan vital");
    }
}
