-- Newsletters (issue 20): lists readers subscribe to, the subscribers (only the address, the
-- lists, when they consented and their state), editions, and the delivery queue: one row per
-- recipient and edition, so an edition reaches each address once.

-- A list: what a scheduled edition holds (`rule`: 'latest' of `section_id` or of the whole
-- site, 'most_read', or 'picks': the stories editors picked for the next edition, `picks`, a
-- JSON list of article ids emptied when an edition takes them), how many stories, and when it goes out: `send_minute` minutes after
-- midnight in the site's time zone, on `days` (ISO weekdays, Monday 1, as "1,2,3,4,5"); no
-- `send_minute`, editions by hand only. `next_edition_at` is the next time, in UTC.
CREATE TABLE newsletter_lists (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL CONSTRAINT newsletter_lists_slug_key UNIQUE,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    rule            TEXT NOT NULL CHECK (rule IN ('latest', 'most_read', 'picks')),
    section_id      INTEGER CONSTRAINT newsletter_lists_section_fkey REFERENCES sections (id) ON DELETE SET NULL,
    stories         INTEGER NOT NULL,
    send_minute     INTEGER,
    days            TEXT NOT NULL,
    next_edition_at TEXT,
    active          INTEGER NOT NULL,
    picks           TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- An address: 'pending' until it confirms (nothing is sent to it but the confirmation),
-- 'confirmed', 'unsubscribed', or 'bounced' (a permanent failure; `bounce` says what).
-- `confirm_sent_at` and `confirms_sent` limit confirmation emails per address.
CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL CONSTRAINT subscribers_email_key UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed', 'bounced')),
    consented_at    TEXT,
    created_at      TEXT NOT NULL,
    confirm_sent_at TEXT,
    confirms_sent   INTEGER NOT NULL,
    bounce          TEXT NOT NULL
);

CREATE TABLE subscriptions (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id       INTEGER NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    PRIMARY KEY (subscriber_id, list_id)
);
CREATE INDEX subscriptions_list_idx ON subscriptions (list_id);

-- An edition: 'draft', 'scheduled' (goes out at `send_at`), 'sending' (its deliveries are
-- queued) or 'sent' (none left). `articles` is a JSON list of article ids in order. A list's
-- scheduled time (`planned_at`) makes one edition, however many nodes plan it.
CREATE TABLE editions (
    id         INTEGER PRIMARY KEY,
    list_id    INTEGER NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    intro      TEXT NOT NULL,
    articles   TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'sending', 'sent')),
    send_at    TEXT,
    queued_at  TEXT,
    sent_at    TEXT,
    planned_at TEXT,
    created_by INTEGER CONSTRAINT editions_user_fkey REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT editions_planned_key UNIQUE (list_id, planned_at)
);
CREATE INDEX editions_due_idx ON editions (state, send_at);

-- The queue. 'pending' (due at `next_attempt_at`), 'sending' (handed to the mail server, not
-- yet acknowledged), 'sent', 'failed' (temporary failures until the sender gave up),
-- 'bounced' (refused for good), 'cancelled' (the address left before its turn) or 'unsure'
-- (the sender stopped while sending it: never sent again, so nobody gets an edition twice).
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    edition_id      INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    state           TEXT NOT NULL
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'bounced', 'cancelled', 'unsure')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    started_at      TEXT,
    sent_at         TEXT,
    last_error      TEXT NOT NULL,
    CONSTRAINT deliveries_once UNIQUE (edition_id, subscriber_id)
);
CREATE INDEX deliveries_due_idx ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_subscriber_idx ON deliveries (subscriber_id);
CREATE INDEX deliveries_edition_idx ON deliveries (edition_id, state);

-- Keys the server signs links with (the newsletters' confirmation, preferences and
-- unsubscribe links), shared by every node; exported with the publication, so the links of
-- emails sent before a move still work.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
