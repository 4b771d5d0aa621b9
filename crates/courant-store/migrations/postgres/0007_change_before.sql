-- What a changed article belonged to before the change (its section, tags, authors and sources
-- as page-cache tags, e.g. "s:2 t:7 u:3 src:1"), so caches drop the listings it left.
ALTER TABLE article_changes ADD COLUMN before TEXT NOT NULL DEFAULT '';
