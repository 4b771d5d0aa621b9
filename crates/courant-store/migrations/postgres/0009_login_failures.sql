-- Failed newsroom logins, counted per account and per address over a window, in the store so
-- that every node refuses a guesser after the same number of attempts.
CREATE TABLE login_failures (
    key        TEXT PRIMARY KEY,
    failures   BIGINT NOT NULL,
    first_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_first_idx ON login_failures (first_at);
