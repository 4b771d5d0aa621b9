-- The front page's pinned stories (issue 19): editors choose its lead and the featured stories
-- under it, in order (`position`, featured only), each until `expires_at` if they set one. A
-- story is pinned once; there is at most one lead. Without a pinned lead, the newest story
-- leads.
CREATE TABLE front_page_pins (
    article_id INTEGER PRIMARY KEY CONSTRAINT front_page_pins_article_fkey REFERENCES articles (id) ON DELETE CASCADE,
    slot       TEXT NOT NULL CONSTRAINT front_page_pins_slot_check CHECK (slot IN ('lead', 'featured')),
    position   INTEGER NOT NULL,
    expires_at TEXT,
    pinned_by  INTEGER CONSTRAINT front_page_pins_user_fkey REFERENCES users (id) ON DELETE SET NULL,
    pinned_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX front_page_pins_lead_idx ON front_page_pins (slot) WHERE slot = 'lead';
CREATE INDEX front_page_pins_expires_idx ON front_page_pins (expires_at) WHERE expires_at IS NOT NULL;
