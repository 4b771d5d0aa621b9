//! Related stories: articles most like a given one, and the memory of them that keeps busy pages
//! fast while stories change.

use crate::{IndexedArticle, SearchError, SearchIndex};
use courant_core::ArticleId;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

/// How many of an article's words a related-stories query weighs: 20 find the same stories as
/// 30 or 40 in our measurements, at half the cost (`bench/README.md`).
const RELATED_TERMS: usize = 20;
/// How long an article's related stories are remembered while stories change: a story published
/// since appears among them within this time.
pub(crate) const RELATED_FRESH: std::time::Duration = std::time::Duration::from_secs(600);
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

impl SearchIndex {
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
    pub(crate) fn forget_related(&self, id: ArticleId) {
        self.related_cache.lock().unwrap_or_else(|p| p.into_inner()).retain(|(article, _), _| *article != id);
    }

    /// Sets how long related stories are remembered while other stories change (tests).
    pub fn set_related_freshness(&mut self, fresh: std::time::Duration) {
        self.related_fresh = fresh;
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
