//! Search and related articles over a tantivy index of published articles.
//!
//! The index holds what is searched, not what is shown: ids, text fields analysed for the
//! publication's language, and the values filters and ranking need (sections, tag, author and
//! source slugs, publication time). Results are ids; callers load what they show from the store.
//! A commit's payload records the store's last applied change, so an index follows the store's
//! change log and resumes where it stopped.

mod indexing;
mod related;
mod schema;
mod search;

pub use search::{SearchQuery, SearchResults, Sort};

use courant_core::ArticleId;
use schema::Fields;
use std::sync::Mutex;
use tantivy::{Index, IndexReader, IndexWriter};
use time::OffsetDateTime;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot use the index folder {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(
        "unknown search language {0:?}; use english, russian, german, french, spanish, italian, portuguese, dutch, swedish, norwegian, danish, finnish"
    )]
    Language(String),
}

/// An article as the index sees it.
#[derive(Debug, Clone)]
pub struct IndexedArticle {
    pub id: ArticleId,
    pub headline: String,
    pub standfirst: String,
    /// The body as plain text (Markdown syntax does no harm, but need not be there).
    pub body: String,
    pub tags: Vec<String>,
    pub tag_slugs: Vec<String>,
    pub author_names: Vec<String>,
    pub author_slugs: Vec<String>,
    /// The article's section and all its ancestors.
    pub section_ids: Vec<i64>,
    pub source_slugs: Vec<String>,
    pub published_at: Option<OffsetDateTime>,
}

/// The search index of a publication.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// The store change the searchable state reflects (see [`SearchIndex::applied_change`]).
    applied: std::sync::atomic::AtomicI64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: i64, headline: &str, body: &str) -> IndexedArticle {
        IndexedArticle {
            id: ArticleId(id),
            headline: headline.into(),
            standfirst: String::new(),
            body: body.into(),
            tags: vec![],
            tag_slugs: vec![],
            author_names: vec![],
            author_slugs: vec![],
            section_ids: vec![1],
            source_slugs: vec![],
            published_at: None,
        }
    }

    fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
        let q = SearchQuery { text: text.into(), limit: 10, ..SearchQuery::default() };
        index.search(&q).expect("search").ids.into_iter().map(|i| i.0).collect()
    }

    #[test]
    fn russian_finds_inflected_forms() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, fresh) = SearchIndex::open(dir.path(), "russian").expect("open");
        assert!(fresh);
        index
            .upsert(&article(1, "Забастовка машинистов остановила поезда", "Поезда не ходят второй день."))
            .expect("add");
        index.upsert(&article(2, "Новый мост открыт", "Мост соединил берега реки.")).expect("add");
        index.commit(7).expect("commit");
        assert_eq!(ids(&index, "поезд"), vec![1], "the stem finds the plural");
        assert_eq!(ids(&index, "мостом"), vec![2], "another case of the same word");
        assert_eq!(index.applied_change(), 7);
    }

    #[test]
    fn other_scripts_are_tokenised_in_any_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, _) = SearchIndex::open(dir.path(), "english").expect("open");
        index.upsert(&article(1, "Привет мир", "Ελληνικά νέα σήμερα")).expect("add");
        index.upsert(&article(2, "Café owners protest", "Rents rose sharply.")).expect("add");
        index.commit(1).expect("commit");
        assert_eq!(ids(&index, "мир"), vec![1]);
        assert_eq!(ids(&index, "νέα"), vec![1]);
        assert_eq!(ids(&index, "cafe"), vec![2], "accents fold in Latin-script languages");
        assert_eq!(ids(&index, "owner"), vec![2], "English stemming");
    }

    #[test]
    fn upsert_replaces_and_remove_forgets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, _) = SearchIndex::open(dir.path(), "english").expect("open");
        index.upsert(&article(1, "Harbour cranes", "")).expect("add");
        index.commit(1).expect("commit");
        index.upsert(&article(1, "Harbour ferries", "")).expect("replace");
        index.commit(2).expect("commit");
        assert_eq!(ids(&index, "cranes"), Vec::<i64>::new(), "no stale hit after an update");
        assert_eq!(ids(&index, "ferries"), vec![1]);
        assert_eq!(index.len(), 1);
        index.remove(ArticleId(1));
        index.commit(3).expect("commit");
        assert!(ids(&index, "ferries").is_empty() && index.is_empty());
        drop(index);
        let (reopened, fresh) = SearchIndex::open(dir.path(), "english").expect("reopen");
        assert!(!fresh, "an index of the same version and language is kept");
        assert_eq!(reopened.applied_change(), 3);
        drop(reopened);
        let (_, fresh) = SearchIndex::open(dir.path(), "german").expect("reopen in German");
        assert!(fresh, "another language means another analysis: rebuild");
    }

    #[test]
    fn snippets_mark_matches_and_escape_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, _) = SearchIndex::open(dir.path(), "english").expect("open");
        // Snippets weigh words by how rare they are in the index, so the word must be in it.
        index.upsert(&article(1, "Cranes return", "The cranes are back.")).expect("add");
        index.commit(1).expect("commit");
        let html = index.snippet("cranes", "The <b>cranes</b> & the port", 100).expect("snippet");
        assert!(html.contains("<mark>cranes</mark>"), "{html}");
        assert!(html.contains("&lt;b&gt;") && html.contains("&amp;") && !html.contains("<b>"), "{html}");
        // A long text: the snippet starts and ends on whole words, with an ellipsis where the
        // text goes on (issue 19).
        let long = format!(
            "{} The cranes came back on Monday morning. {}",
            "Words before it. ".repeat(30),
            "And after. ".repeat(30)
        );
        let html = index.snippet("cranes", &long, 80).expect("snippet");
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        let inner = html.trim_matches('…');
        let plain = inner.replace("<mark>", "").replace("</mark>", "");
        assert!(long.contains(plain.trim()), "a piece of the text: {html}");
        let at = long.find(plain.trim()).expect("in the text");
        let before = long[..at].chars().last();
        assert!(before.is_none_or(char::is_whitespace), "starts on a word: {html}");
        let after = long[at + plain.trim().len()..].chars().next();
        assert!(after.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation()), "ends on a word: {html}");
        let fallback = index.snippet("zzzz", &long, 40).expect("snippet");
        assert!(fallback.ends_with('…') && long.starts_with(fallback.trim_end_matches('…')), "{fallback}");
    }

    #[test]
    fn pathological_queries_finish() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, _) = SearchIndex::open(dir.path(), "english").expect("open");
        index.upsert(&article(1, "a harbour", "a body")).expect("add");
        index.commit(1).expect("commit");
        let index = std::sync::Arc::new(index);
        for q in ["a:(^", "a:(a^", "- *", "headline:(((((((((", "\"\"\"\"", "*:*", "a^999999999999", "[* TO *]"] {
            let (tx, rx) = std::sync::mpsc::channel();
            let idx = index.clone();
            std::thread::spawn(move || {
                let r =
                    idx.search(&SearchQuery { text: q.into(), limit: 5, ..SearchQuery::default() }).map(|r| r.total);
                let _ = tx.send(r.is_ok());
            });
            let finished = rx.recv_timeout(std::time::Duration::from_secs(5));
            assert!(finished.is_ok(), "the query {q:?} did not finish within 5 s");
        }
    }

    #[test]
    fn unknown_language_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = SearchIndex::open(dir.path(), "klingon").err().expect("refused").to_string();
        assert!(err.contains("klingon") && err.contains("english"), "{err}");
    }

    #[test]
    fn related_stories_share_distinctive_words() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut index, _) = SearchIndex::open(dir.path(), "english").expect("open");
        index.upsert(&article(1, "harbour cranes return", "harbour cranes return")).expect("add");
        index.upsert(&article(2, "harbour cranes rust", "harbour cranes rust")).expect("add");
        // Words in more than half of the stories say nothing about likeness: add others.
        let others = [
            "budget vote delayed",
            "marathon record falls",
            "comet seen tonight",
            "museum reopens",
            "orchestra tours abroad",
            "glacier retreats further",
            "pension reform passes",
            "bakery wins award",
        ];
        for (i, words) in others.iter().enumerate() {
            index.upsert(&article(10 + i as i64, words, words)).expect("add");
        }
        index.commit(1).expect("commit");
        let a = article(1, "harbour cranes return", "harbour cranes return");
        assert_eq!(index.related(&a, 3, &[]).expect("related"), vec![ArticleId(2)]);
        assert!(index.related(&a, 3, &[ArticleId(2)]).expect("related").is_empty(), "excluded");
        index.upsert(&article(3, "harbour cranes sold", "harbour cranes sold")).expect("add");
        index.commit(2).expect("commit");
        let found = index.related(&a, 3, &[]).expect("related");
        assert!(found.contains(&ArticleId(2)) && found.contains(&ArticleId(3)), "{found:?}");
    }
}
