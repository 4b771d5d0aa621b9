-- The content model: sections, images, authors, tags, sources, articles and their links.
-- Timestamps are UTC, stored by sqlx as text in one fixed format so they sort correctly.

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL CONSTRAINT sections_slug_key UNIQUE,
    name        TEXT NOT NULL CONSTRAINT sections_name_check CHECK (length(name) > 0),
    description TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER CONSTRAINT sections_parent_fkey REFERENCES sections (id),
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE images (
    id       INTEGER PRIMARY KEY,
    file     TEXT NOT NULL,
    width    INTEGER NOT NULL CONSTRAINT images_width_check CHECK (width > 0),
    height   INTEGER NOT NULL CONSTRAINT images_height_check CHECK (height > 0),
    alt      TEXT NOT NULL DEFAULT '',
    caption  TEXT NOT NULL DEFAULT '',
    credit   TEXT NOT NULL DEFAULT '',
    -- Keywords joined by newlines (a keyword never contains one).
    keywords TEXT NOT NULL DEFAULT ''
);

CREATE TABLE authors (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL CONSTRAINT authors_slug_key UNIQUE,
    name     TEXT NOT NULL CONSTRAINT authors_name_check CHECK (length(name) > 0),
    title    TEXT NOT NULL DEFAULT '',
    bio      TEXT NOT NULL DEFAULT '',
    photo_id INTEGER CONSTRAINT authors_photo_fkey REFERENCES images (id)
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL CONSTRAINT tags_slug_key UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE sources (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL CONSTRAINT sources_slug_key UNIQUE,
    name TEXT NOT NULL,
    url  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL CONSTRAINT articles_slug_key UNIQUE,
    headline      TEXT NOT NULL,
    standfirst    TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    hero_image_id INTEGER CONSTRAINT articles_hero_fkey REFERENCES images (id),
    section_id    INTEGER NOT NULL CONSTRAINT articles_section_fkey REFERENCES sections (id),
    status        TEXT NOT NULL CONSTRAINT articles_status_check
                  CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    created_at    TEXT NOT NULL,
    published_at  TEXT,
    updated_at    TEXT NOT NULL
);
CREATE INDEX articles_status_published_idx ON articles (status, published_at DESC);
CREATE INDEX articles_section_idx ON articles (section_id, status, published_at DESC);

-- Old slugs of renamed articles, so their URLs keep working through a redirect.
CREATE TABLE article_slug_history (
    old_slug   TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL CONSTRAINT slug_history_article_fkey REFERENCES articles (id) ON DELETE CASCADE
);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES authors (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author_idx ON article_authors (author_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag_id);

CREATE TABLE article_sources (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, source_id)
);
CREATE INDEX article_sources_source_idx ON article_sources (source_id);

-- Editor-pinned related articles ("Also read").
CREATE TABLE article_related (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, related_id),
    CONSTRAINT article_related_self_check CHECK (article_id <> related_id)
);

CREATE TABLE corrections (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text         TEXT NOT NULL CONSTRAINT corrections_text_check CHECK (length(text) > 0),
    published_at TEXT NOT NULL
);
CREATE INDEX corrections_article_idx ON corrections (article_id);
