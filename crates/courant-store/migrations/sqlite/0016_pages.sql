-- The publication's own pages (issue 19): About, Contact, the corrections policy, terms,
-- privacy. Each lives at `/{slug}` (a slug no section and no other page has), written in
-- Markdown like a story; those `in_footer` are linked from every page's footer, by `position`.
CREATE TABLE pages (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL CONSTRAINT pages_slug_key UNIQUE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    in_footer  INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER CONSTRAINT pages_user_fkey REFERENCES users (id) ON DELETE SET NULL
);
