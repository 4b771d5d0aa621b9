-- Listings are ordered by publication time, then id (newest first): the indexes carry both, so
-- the latest stories come straight off the index instead of sorting every story published in
-- the same second (measured at 100,000 stories: 0.9 ms -> 0.05 ms for the front page's list).
DROP INDEX articles_status_published_idx;
CREATE INDEX articles_status_published_idx ON articles (status, published_at DESC, id DESC);
DROP INDEX articles_section_idx;
CREATE INDEX articles_section_idx ON articles (section_id, status, published_at DESC, id DESC);
