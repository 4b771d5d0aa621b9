//! The index's schema and text analysis: the fields and their options, and the analyzer for the
//! publication's language.

use crate::SearchError;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
pub(crate) const SCHEMA_VERSION: &str = "courant-search-2";
pub(crate) const VERSION_FILE: &str = "courant-schema-version";
pub(crate) const ANALYZER: &str = "courant";

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) headline: Field,
    pub(crate) standfirst: Field,
    pub(crate) body: Field,
    pub(crate) tags: Field,
    pub(crate) authors: Field,
    pub(crate) tag_slug: Field,
    pub(crate) author_slug: Field,
    pub(crate) section: Field,
    pub(crate) source_slug: Field,
    pub(crate) published: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
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

pub(crate) fn language(name: &str) -> Result<Option<Language>, SearchError> {
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
pub(crate) fn analyzer(lang: Option<Language>) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(60)).filter(LowerCaser);
    match lang {
        Some(Language::Russian) => base.filter(Stemmer::new(Language::Russian)).build(),
        Some(l) => base.filter(AsciiFoldingFilter).filter(Stemmer::new(l)).build(),
        None => base.filter(AsciiFoldingFilter).build(),
    }
}
