-- Article views per minute ("Others are reading now"). Each node adds its own counts, so the
-- sum over nodes is the publication's; rows older than a day are pruned.
CREATE TABLE trending_views (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    minute     BIGINT NOT NULL,
    views      BIGINT NOT NULL CONSTRAINT trending_views_check CHECK (views > 0),
    PRIMARY KEY (article_id, minute)
);
CREATE INDEX trending_views_minute_idx ON trending_views (minute);
