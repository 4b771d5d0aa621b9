-- The wire desk (issue 16): agency copy and feed entries as they arrive, one row per item in
-- the last version received. An item is known by its source and its id there (`guid`); a
-- higher version, or the same version made later, replaces it in place.
-- The feeds the desk polls. `etag` and `last_modified` are what the feed's server last
-- answered, sent back so it can answer 304; a lease (`lease_expires_at`) lets one node at a
-- time poll a feed; `failures` counts failed polls in a row (the wait grows with it).
CREATE TABLE wire_feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL CONSTRAINT wire_feeds_url_key UNIQUE,
    source           TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    paused           INTEGER NOT NULL,
    etag             TEXT NOT NULL,
    last_modified    TEXT NOT NULL,
    next_poll_at     TEXT NOT NULL,
    lease_expires_at TEXT,
    last_success_at  TEXT,
    last_error       TEXT NOT NULL,
    last_error_at    TEXT,
    failures         INTEGER NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX wire_feeds_due_idx ON wire_feeds (next_poll_at);

CREATE TABLE wire_items (
    id                 INTEGER PRIMARY KEY,
    source             TEXT NOT NULL,
    guid               TEXT NOT NULL,
    version            INTEGER NOT NULL,
    headline           TEXT NOT NULL,
    byline             TEXT NOT NULL,
    dateline           TEXT NOT NULL,
    first_created_at   TEXT,
    version_created_at TEXT,
    embargo_at         TEXT,
    -- JSON arrays of strings.
    subjects           TEXT NOT NULL,
    pictures           TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    urgency            INTEGER,
    link               TEXT NOT NULL,
    language           TEXT NOT NULL,
    -- The feed it came from (none for files).
    feed_id            INTEGER REFERENCES wire_feeds (id) ON DELETE SET NULL,
    -- RSS, Atom, JSON Feed, IPTC ninjs, IPTC NewsML-G2.
    format             TEXT NOT NULL,
    received_at        TEXT NOT NULL,
    -- When a newer version last replaced it (its arrival for a first version).
    updated_at         TEXT NOT NULL,
    CONSTRAINT wire_items_identity UNIQUE (source, guid)
);
-- The desk lists the newest first.
CREATE INDEX wire_items_updated_idx ON wire_items (updated_at, id);

-- The wire items a story was written from: its provenance, shown to editors, and the embargoes
-- its publication must wait for.
CREATE TABLE article_wire_items (
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    wire_item_id INTEGER NOT NULL REFERENCES wire_items (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, wire_item_id)
);
CREATE INDEX article_wire_items_item_idx ON article_wire_items (wire_item_id);
