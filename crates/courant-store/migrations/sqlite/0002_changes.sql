-- A log of changes to articles, in order: the search index (and later page caches and other
-- nodes) follow it, and resume from the last change they applied after a restart.
CREATE TABLE article_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL
);
