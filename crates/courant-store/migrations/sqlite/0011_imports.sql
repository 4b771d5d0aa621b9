-- What imports remember (issue 15). Each item of an imported publication (a WordPress post,
-- category or author; a Ghost post, tag or user) is keyed by where it came from and its id
-- there, so that importing the same file again updates what changed and duplicates nothing.
-- `digest` fingerprints what was imported, to tell a changed item from the same one.
CREATE TABLE imported (
    origin    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    digest    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (origin, kind, key)
);

-- Old addresses of imported stories (`/2019/04/02/slug/`, `/?p=123`), answered with 301 to
-- the story's address here. Stored without a trailing slash.
CREATE TABLE redirects (
    path       TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX redirects_article_idx ON redirects (article_id);
