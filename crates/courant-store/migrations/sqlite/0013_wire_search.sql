-- Full-text search on the wire desk (issue 16), apart from the public search (tantivy's index of
-- published stories): agency copy must never show there. `search_text` holds an item's words as
-- the store folds them (lowercased, accents dropped, one space between words); SQLite indexes it
-- with FTS5, PostgreSQL with GIN, both as `wire_items_search_idx`.
ALTER TABLE wire_items ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Items that came before: their words with the markup's (the tokenizer folds case and accents).
UPDATE wire_items SET search_text = headline || ' ' || byline || ' ' || dateline || ' ' || subjects || ' ' || body_html;

-- An external-content index: the words stay in `wire_items`, the triggers keep the index in step.
CREATE VIRTUAL TABLE wire_items_search_idx USING fts5 (
    search_text, content = 'wire_items', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO wire_items_search_idx (wire_items_search_idx) VALUES ('rebuild');

CREATE TRIGGER wire_items_search_insert AFTER INSERT ON wire_items BEGIN
    INSERT INTO wire_items_search_idx (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER wire_items_search_delete AFTER DELETE ON wire_items BEGIN
    INSERT INTO wire_items_search_idx (wire_items_search_idx, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER wire_items_search_update AFTER UPDATE OF search_text ON wire_items BEGIN
    INSERT INTO wire_items_search_idx (wire_items_search_idx, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO wire_items_search_idx (rowid, search_text) VALUES (new.id, new.search_text);
END;
