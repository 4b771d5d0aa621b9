//! Opening the index and writing to it: articles added, replaced and removed, commits that make
//! them searchable and record the store change they reflect, and how much the index holds.

use crate::schema::{ANALYZER, SCHEMA_VERSION, VERSION_FILE, analyzer, language, schema};
use crate::{IndexedArticle, SearchError, SearchIndex};
use courant_core::ArticleId;
use std::path::Path;
use std::sync::Mutex;
use tantivy::{Index, IndexWriter, ReloadPolicy, Term, doc};

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

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
