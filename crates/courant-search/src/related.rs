//! Related stories: articles most like a given one. Found behind the site for every published
//! story and kept in the store (`courant-web`'s `related` task), never per page view.

use crate::{IndexedArticle, SearchError, SearchIndex};
use courant_core::ArticleId;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

/// How many of an article's words a related-stories query weighs: 20 find the same stories as
/// 30 or 40 in our measurements, at half the cost (`bench/README.md`).
const RELATED_TERMS: usize = 20;
/// The least a story may score, as a share of the article's own score on the same query, to
/// count as related: below it, a story shares a word or two and nothing of substance (issue
/// 19: a short story about a rail strike was offered a grocery merger).
const RELEVANCE: f32 = 0.25;
impl SearchIndex {
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
        let mut found = Vec::with_capacity(candidates.len());
        let mut own = None;
        for (score, address) in candidates {
            let d: TantivyDocument = searcher.doc(address)?;
            let Some(id) = d.get_first(f.id).and_then(|v| v.as_u64()).map(|id| ArticleId(id as i64)) else { continue };
            if id == a.id {
                own = Some(score);
            }
            found.push((score, address, id));
        }
        // The article matches its own query best; without it in the index (not indexed yet),
        // the best candidate stands in.
        let own = own.or_else(|| found.first().map(|c| c.0)).unwrap_or(0.0);
        let mut scored = Vec::new();
        for (score, address, id) in found {
            if id == a.id || exclude.contains(&id) || score < own * RELEVANCE {
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
