-- Full-text search on the wire desk (issue 16), apart from the public search (tantivy's index of
-- published stories): agency copy must never show there. `search_text` holds an item's words as
-- the store folds them (lowercased, accents dropped, one space between words); PostgreSQL
-- indexes it with GIN, SQLite with FTS5, both as `wire_items_search_idx`. The 'simple'
-- configuration: no stemming, no stop words, the same matches as SQLite's tokenizer.
ALTER TABLE wire_items ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Items that came before: their words with the markup's.
UPDATE wire_items SET search_text = lower(headline || ' ' || byline || ' ' || dateline || ' ' || subjects || ' ' || body_html);
CREATE INDEX wire_items_search_idx ON wire_items USING GIN (to_tsvector('simple', search_text));
