-- Related stories found by the search index for every published story, kept so that a page
-- reads them instead of searching (issue 18). A story's row says when they were found (NULL:
-- to be found, as after the story changed) and until when a node is finding them (so that
-- several nodes share the work instead of each doing all of it).
CREATE TABLE related_searches (
    article_id    INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    found_at      TEXT,
    claim_expires_at TEXT
);
-- Claims walk it: those never found by id, newest first, then the oldest found.
CREATE INDEX related_searches_found_idx ON related_searches (found_at, article_id);

-- The stories found, best first. Kept while they are found anew.
CREATE TABLE found_related (
    article_id INTEGER NOT NULL REFERENCES related_searches (article_id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX found_related_related_idx ON found_related (related_id);
