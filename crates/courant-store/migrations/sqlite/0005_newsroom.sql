-- no-transaction
-- The newsroom: users, sessions, one-time reset links, revisions, the audit log; articles gain
-- the "review" status, a version for optimistic concurrency and an owner.
--
-- SQLite cannot change a CHECK constraint in place, so `articles` is rebuilt the documented way
-- (foreign keys off, copy, drop, rename, foreign keys on), in one transaction of its own. The
-- copy keeps every id, so the references of other tables stay whole (`courant check` verifies).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    name                 TEXT NOT NULL CONSTRAINT users_name_check CHECK (length(name) > 0),
    role                 TEXT NOT NULL CONSTRAINT users_role_check CHECK (role IN ('contributor', 'editor', 'admin')),
    password_hash        TEXT NOT NULL,
    author_id            INTEGER CONSTRAINT users_author_fkey REFERENCES authors (id),
    disabled             INTEGER NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL
);

CREATE TABLE articles_new (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL CONSTRAINT articles_slug_key UNIQUE,
    headline      TEXT NOT NULL,
    standfirst    TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    hero_image_id INTEGER CONSTRAINT articles_hero_fkey REFERENCES images (id),
    section_id    INTEGER NOT NULL CONSTRAINT articles_section_fkey REFERENCES sections (id),
    status        TEXT NOT NULL CONSTRAINT articles_status_check
                  CHECK (status IN ('draft', 'review', 'scheduled', 'published', 'unpublished')),
    created_at    TEXT NOT NULL,
    published_at  TEXT,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    owner_id      INTEGER CONSTRAINT articles_owner_fkey REFERENCES users (id)
);
INSERT INTO articles_new (id, slug, headline, standfirst, body, hero_image_id, section_id, status,
                          created_at, published_at, updated_at)
    SELECT id, slug, headline, standfirst, body, hero_image_id, section_id, status,
           created_at, published_at, updated_at FROM articles;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE INDEX articles_status_published_idx ON articles (status, published_at DESC);
CREATE INDEX articles_section_idx ON articles (section_id, status, published_at DESC);
CREATE INDEX articles_updated_idx ON articles (updated_at DESC);
CREATE INDEX articles_owner_idx ON articles (owner_id, updated_at DESC);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a stolen database cannot be replayed as cookies.
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL CONSTRAINT sessions_user_fkey REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL CONSTRAINT password_resets_user_fkey REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- Every save of an article keeps its content as it was saved (JSON of the editable fields).
-- A save refused for editing a stale version is kept too, marked `conflict`, and never applied.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL CONSTRAINT revisions_article_fkey REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    user_id    INTEGER CONSTRAINT revisions_user_fkey REFERENCES users (id),
    created_at TEXT NOT NULL,
    content    TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    conflict   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX revisions_article_idx ON revisions (article_id, id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER CONSTRAINT audit_log_user_fkey REFERENCES users (id),
    action     TEXT NOT NULL,
    article_id INTEGER,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (id DESC);

ALTER TABLE images ADD COLUMN focal_x REAL;
ALTER TABLE images ADD COLUMN focal_y REAL;
ALTER TABLE images ADD COLUMN uploaded_by INTEGER CONSTRAINT images_uploaded_by_fkey REFERENCES users (id);
ALTER TABLE images ADD COLUMN created_at TEXT;
ALTER TABLE sources ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'
    CONSTRAINT sources_kind_check CHECK (kind IN ('agency', 'newspaper', 'broadcaster', 'magazine', 'online', 'other'));

COMMIT;
PRAGMA foreign_keys = ON;
