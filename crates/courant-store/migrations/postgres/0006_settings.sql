-- Publication settings admins change in the newsroom, laid over courant.toml's values: one
-- JSON document per key.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT CONSTRAINT settings_user_fkey REFERENCES users (id)
);
