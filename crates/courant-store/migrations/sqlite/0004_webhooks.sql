-- What kind of change each logged change was, for webhooks: created, published, unpublished,
-- status, corrected, updated.
ALTER TABLE article_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'updated';

-- Webhook deliveries: one row per event and receiver, with its attempts.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    change_seq      INTEGER NOT NULL,
    url             TEXT NOT NULL,
    event           TEXT NOT NULL,
    article_id      INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CONSTRAINT webhook_deliveries_status_check
                    CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT,
    CONSTRAINT webhook_deliveries_once UNIQUE (change_seq, url)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);

-- Small named counters, such as the last change the webhook dispatcher has handled.
CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
