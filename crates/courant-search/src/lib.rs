//! Search and related articles over a tantivy index of published articles.
//!
//! The index holds what is searched, not what is shown: ids, text fields analysed for the
//! publication's language, and the values filters and ranking need (sections, tag, author and
//! source slugs, publication time). Results are ids; callers load what they show from the store.
//! A commit's payload records the store's last applied change, so an index follows the store's
//! change log and resumes where it stopped.

use courant_core::ArticleId;
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term, doc};
use time::OffsetDateTime;

/// Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
const SCHEMA_VERSION: &str = "courant-search-2";
const VERSION_FILE: &str = "courant-schema-version";
const ANALYZER: &str = "courant";
/// How many of an article's words a related-stories query weighs: 20 find the same stories as
/// 30 or 40 in our measurements, at half the cost (`bench/README.md`).
const RELATED_TERMS: usize = 20;
/// How long an article's related stories are remembered while stories change: a story published
/// since appears among them within this time.
const RELATED_FRESH: std::time::Duration = std::time::Duration::from_secs(600);
/// At most this many articles' related stories are remembered.
const RELATED_REMEMBERED: usize = 100_000;

/// What the index remembers of an article's related stories.
#[derive(Debug, Clone, PartialEq)]
pub enum RelatedKnown {
    /// Found within the last [`RELATED_FRESH`].
    Fresh(Vec<ArticleId>),
    /// Found longer ago: still worth showing while they are found again.
    Old(Vec<ArticleId>),
    Unknown,
}

/// A claim on finding an article's related stories, released when dropped.
struct Claim<'a> {
    index: &'a SearchIndex,
    key: (ArticleId, usize),
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.index.related_finding.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.key);
    }
}

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

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    headline: Field,
    standfirst: Field,
    body: Field,
    tags: Field,
    authors: Field,
    tag_slug: Field,
    author_slug: Field,
    section: Field,
    source_slug: Field,
    published: Field,
}

/// The search index of a publication.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// The store change the searchable state reflects (see [`SearchIndex::applied_change`]).
    applied: std::sync::atomic::AtomicI64,
    /// Related articles by article and count, with when they were found.
    related_cache: Mutex<std::collections::HashMap<(ArticleId, usize), (std::time::Instant, Vec<ArticleId>)>>,
    related_fresh: std::time::Duration,
    /// Articles whose related stories are being found (see [`SearchIndex::related_known`]).
    related_finding: Mutex<std::collections::HashSet<(ArticleId, usize)>>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Slugs that related stories are scored on: whole values, with frequencies, so that their
    // term queries join the others in one pruned union (block-max WAND needs frequencies).
    let scored_slug = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST | STORED),
        headline: b.add_text_field("headline", text.clone()),
        standfirst: b.add_text_field("standfirst", text.clone()),
        body: b.add_text_field("body", text.clone()),
        tags: b.add_text_field("tags", text.clone()),
        authors: b.add_text_field("authors", text),
        tag_slug: b.add_text_field("tag_slug", scored_slug.clone()),
        author_slug: b.add_text_field("author_slug", STRING),
        section: b.add_i64_field("section", INDEXED),
        source_slug: b.add_text_field("source_slug", scored_slug),
        published: b.add_i64_field("published", INDEXED | FAST),
    };
    (b.build(), fields)
}

fn language(name: &str) -> Result<Option<Language>, SearchError> {
    Ok(Some(match name.to_ascii_lowercase().as_str() {
        "english" | "en" => Language::English,
        "russian" | "ru" => Language::Russian,
        "german" | "de" => Language::German,
        "french" | "fr" => Language::French,
        "spanish" | "es" => Language::Spanish,
        "italian" | "it" => Language::Italian,
        "portuguese" | "pt" => Language::Portuguese,
        "dutch" | "nl" => Language::Dutch,
        "swedish" | "sv" => Language::Swedish,
        "norwegian" | "no" | "nb" => Language::Norwegian,
        "danish" | "da" => Language::Danish,
        "finnish" | "fi" => Language::Finnish,
        "none" => return Ok(None),
        other => return Err(SearchError::Language(other.to_string())),
    }))
}

/// Words split on anything that is not a letter or digit in any script; lower-cased; Latin
/// accents folded for Latin-script languages (never for Russian, whose stemmer needs Cyrillic);
/// stemmed for the publication's language.
fn analyzer(lang: Option<Language>) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(60)).filter(LowerCaser);
    match lang {
        Some(Language::Russian) => base.filter(Stemmer::new(Language::Russian)).build(),
        Some(l) => base.filter(AsciiFoldingFilter).filter(Stemmer::new(l)).build(),
        None => base.filter(AsciiFoldingFilter).build(),
    }
}

impl SearchIndex {
    /// Opens the index in `dir` for `language`, creating it when missing. Returns whether it
    /// is new (or was of another schema version, or another language) and must be filled.
    pub fn open(dir: &Path, language_name: &str) -> Result<(SearchIndex, bool), SearchError> {
        let lang = language(language_name)?;
        let version = format!("{SCHEMA_VERSION}:{}", language_name.to_ascii_lowercase());
        let io = |source| SearchError::Io { path: dir.display().to_string(), source };
        let current = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let fresh = current.as_deref() != Some(version.as_str());
        if fresh && dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = schema();
        let index = if fresh { Index::create_in_dir(dir, schema)? } else { Index::open_in_dir(dir)? };
        index.tokenizers().register(ANALYZER, analyzer(lang));
        let writer = index.writer(50_000_000)?;
        if fresh {
            std::fs::write(dir.join(VERSION_FILE), &version).map_err(io)?;
        }
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let applied = index.load_metas().ok().and_then(|m| m.payload).and_then(|p| p.parse().ok()).unwrap_or(0);
        let index = SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            applied: std::sync::atomic::AtomicI64::new(applied),
            related_cache: Mutex::new(std::collections::HashMap::new()),
            related_fresh: RELATED_FRESH,
            related_finding: Mutex::new(std::collections::HashSet::new()),
        };
        Ok((index, fresh))
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds an article, replacing any earlier version of it. Visible after [`commit`](Self::commit).
    pub fn upsert(&self, a: &IndexedArticle) -> Result<(), SearchError> {
        let f = self.fields;
        let writer = self.writer();
        writer.delete_term(Term::from_field_u64(f.id, a.id.0 as u64));
        let mut d = doc!(
            f.id => a.id.0 as u64,
            f.headline => a.headline.as_str(),
            f.standfirst => a.standfirst.as_str(),
            f.body => a.body.as_str(),
            f.published => a.published_at.map_or(0, |t| t.unix_timestamp()),
        );
        for t in &a.tags {
            d.add_text(f.tags, t);
        }
        for t in &a.tag_slugs {
            d.add_text(f.tag_slug, t);
        }
        for n in &a.author_names {
            d.add_text(f.authors, n);
        }
        for s in &a.author_slugs {
            d.add_text(f.author_slug, s);
        }
        for s in &a.source_slugs {
            d.add_text(f.source_slug, s);
        }
        for id in &a.section_ids {
            d.add_i64(f.section, *id);
        }
        writer.add_document(d)?;
        Ok(())
    }

    /// Removes every article (before a rebuild). Visible after [`commit`](Self::commit).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Removes an article. Visible after [`commit`](Self::commit).
    pub fn remove(&self, id: ArticleId) {
        self.forget_related(id);
        self.writer().delete_term(Term::from_field_u64(self.fields.id, id.0 as u64));
    }

    /// Makes every change since the last commit searchable, recording `applied_change` (the
    /// store's change number the index now reflects).
    pub fn commit(&self, applied_change: i64) -> Result<(), SearchError> {
        {
            let mut writer = self.writer();
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&applied_change.to_string());
            prepared.commit()?;
        }
        self.reader.reload()?;
        self.applied.store(applied_change, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// The store change number the index reflects (0 for a new index).
    pub fn applied_change(&self) -> i64 {
        self.applied.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Like [`related`](Self::related), remembered for [`RELATED_FRESH`] while stories change,
    /// the article's own edits included (finding them anew on every commit would make every
    /// page of a busy site a slow one; a correction does not change what a story is about).
    /// `exclude` must be the same for an article.
    pub fn related_cached(
        &self,
        a: &IndexedArticle,
        limit: usize,
        exclude: &[ArticleId],
    ) -> Result<Vec<ArticleId>, SearchError> {
        match self.related_known(a.id, limit) {
            RelatedKnown::Fresh(ids) => Ok(ids),
            _ => self.refresh_related(a, limit, exclude),
        }
    }

    /// Finds an article's related stories and remembers them, then releases the claim on them
    /// (see [`claim_related`](Self::claim_related)), whatever happens.
    pub fn refresh_related(
        &self,
        a: &IndexedArticle,
        limit: usize,
        exclude: &[ArticleId],
    ) -> Result<Vec<ArticleId>, SearchError> {
        let key = (a.id, limit);
        // Released when this returns or unwinds, after the answer is remembered.
        let _claim = Claim { index: self, key };
        let started = std::time::Instant::now();
        let ids = self.related(a, limit, exclude)?;
        let mut cache = self.related_cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= RELATED_REMEMBERED {
            let fresh = self.related_fresh;
            cache.retain(|_, (found, _)| found.elapsed() < fresh);
            if cache.len() >= RELATED_REMEMBERED {
                cache.clear();
            }
        }
        cache.insert(key, (started, ids.clone()));
        Ok(ids)
    }

    /// What is remembered of an article's related stories (no search).
    pub fn related_known(&self, id: ArticleId, limit: usize) -> RelatedKnown {
        let cache = self.related_cache.lock().unwrap_or_else(|p| p.into_inner());
        match cache.get(&(id, limit)) {
            Some((found, ids)) if found.elapsed() < self.related_fresh => RelatedKnown::Fresh(ids.clone()),
            Some((_, ids)) => RelatedKnown::Old(ids.clone()),
            None => RelatedKnown::Unknown,
        }
    }

    /// Claims the finding of an article's related stories, for a caller that will then call
    /// [`refresh_related`](Self::refresh_related) (which releases the claim): false when
    /// another has claimed them and not finished yet.
    pub fn claim_related(&self, id: ArticleId, limit: usize) -> bool {
        self.related_finding.lock().unwrap_or_else(|p| p.into_inner()).insert((id, limit))
    }

    /// Forgets an article's related stories (its text is changing).
    fn forget_related(&self, id: ArticleId) {
        self.related_cache.lock().unwrap_or_else(|p| p.into_inner()).retain(|(article, _), _| *article != id);
    }

    /// Sets how long related stories are remembered while other stories change (tests).
    pub fn set_related_freshness(&mut self, fresh: std::time::Duration) {
        self.related_fresh = fresh;
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

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
    pub fn snippet(&self, query: &str, text: &str, max_chars: usize) -> Result<String, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let parsed = self.text_query(query);
        let mut generator = SnippetGenerator::create(&searcher, &*parsed, f.body)?;
        generator.set_max_num_chars(max_chars);
        let snippet = generator.snippet(text);
        if snippet.fragment().is_empty() {
            let start: String = text.chars().take(max_chars).collect();
            return Ok(escape(&start));
        }
        let mut html = String::new();
        let fragment = snippet.fragment();
        let mut at = 0;
        for range in snippet.highlighted() {
            html.push_str(&escape(&fragment[at..range.start]));
            html.push_str("<mark>");
            html.push_str(&escape(&fragment[range.clone()]));
            html.push_str("</mark>");
            at = range.end;
        }
        html.push_str(&escape(&fragment[at..]));
        Ok(html)
    }

    /// Articles most like `a` by their words, tags and sources, nearer in time first among
    /// equals; never `a` itself nor anything in `exclude`. Returns at most `limit` ids.
    pub fn related(
        &self,
        a: &IndexedArticle,
        limit: usize,
        exclude: &[ArticleId],
    ) -> Result<Vec<ArticleId>, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        // More like this: the article's most distinctive words, each weighted by how much it
        // tells the article apart, then shared tags and sources. Every clause is a term query
        // reading frequencies, so the top candidates are found by block-max WAND without
        // scoring every story that shares a common word.
        let tags = a.tags.join(" ");
        let text =
            [(f.headline, a.headline.as_str()), (f.standfirst, &a.standfirst), (f.body, &a.body), (f.tags, &tags)];
        let terms = self.distinctive_terms(&searcher, &text, RELATED_TERMS)?;
        let best = terms.first().map_or(1.0, |(_, score)| *score);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (term, score) in terms {
            let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), score / best))));
        }
        for (field, slugs, boost) in [(f.tag_slug, &a.tag_slugs, 2.0), (f.source_slug, &a.source_slugs, 0.5)] {
            for slug in slugs {
                let q = TermQuery::new(Term::from_field_text(field, slug), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let candidates =
            searcher.search(&query, &TopDocs::with_limit(limit * 4 + exclude.len() + 1).order_by_score())?;
        let published = a.published_at.map_or(0, |t| t.unix_timestamp());
        let mut scored = Vec::new();
        for (score, address) in candidates {
            let d: TantivyDocument = searcher.doc(address)?;
            let Some(id) = d.get_first(f.id).and_then(|v| v.as_u64()).map(|id| ArticleId(id as i64)) else { continue };
            if id == a.id || exclude.contains(&id) {
                continue;
            }
            let when = self.published_of(&searcher, address).unwrap_or(published);
            // A story from last week beats one from last year: halve the score every 60 days apart.
            let days_apart = (published - when).unsigned_abs() as f32 / 86_400.0;
            scored.push((score * 0.5f32.powf(days_apart / 60.0), id));
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0));
        Ok(scored.into_iter().take(limit).map(|(_, id)| id).collect())
    }

    /// The terms of `fields` (analysed as indexed) that best tell a text apart from the rest
    /// of the index, by tf·idf, strongest first: at most `limit`, each at least three letters
    /// and in at most half the stories (words everyone uses relate nothing).
    fn distinctive_terms(
        &self,
        searcher: &tantivy::Searcher,
        fields: &[(Field, &str)],
        limit: usize,
    ) -> Result<Vec<(Term, f32)>, SearchError> {
        let mut counts: std::collections::HashMap<Term, u32> = std::collections::HashMap::new();
        for (field, text) in fields {
            let mut analyzer = self.index.tokenizer_for_field(*field)?;
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                if token.text.chars().count() >= 3 {
                    *counts.entry(Term::from_field_text(*field, &token.text)).or_insert(0) += 1;
                }
            }
        }
        let docs = searcher.num_docs();
        let mut scored = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            let df = searcher.doc_freq(&term)?;
            if df == 0 || df > (docs / 2).max(1) {
                continue;
            }
            let idf = (docs as f32 / (df as f32 + 1.0)).ln() + 1.0;
            scored.push((term, tf as f32 * idf));
        }
        scored.sort_by(|x, y| y.1.total_cmp(&x.1));
        scored.truncate(limit);
        Ok(scored)
    }

    fn published_of(&self, searcher: &tantivy::Searcher, address: tantivy::DocAddress) -> Option<i64> {
        let column = searcher.segment_reader(address.segment_ord).fast_fields().i64("published").ok()?;
        column.first(address.doc_id)
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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
    fn cached_related_holds_while_stories_change_until_it_is_old() {
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
        assert_eq!(index.related_cached(&a, 3, &[]).expect("related"), vec![ArticleId(2)]);
        index.upsert(&article(3, "harbour cranes sold", "harbour cranes sold")).expect("add");
        index.commit(2).expect("commit");
        assert_eq!(
            index.related_cached(&a, 3, &[]).expect("related"),
            vec![ArticleId(2)],
            "another story's change keeps the remembered answer"
        );
        let b = article(2, "harbour cranes rust", "harbour cranes rust");
        assert!(!index.related_cached(&b, 3, &[]).expect("related").contains(&ArticleId(4)));
        index.upsert(&article(4, "harbour cranes rust away", "harbour cranes rust away")).expect("add");
        index.commit(4).expect("commit");
        index.set_related_freshness(std::time::Duration::ZERO);
        let later = index.related_cached(&b, 3, &[]).expect("related");
        assert!(later.contains(&ArticleId(4)), "once the answer is old, it is found anew: {later:?}");
    }
}
