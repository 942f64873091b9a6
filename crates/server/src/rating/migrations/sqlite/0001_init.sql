-- One row per (article, scale, reader): a second vote by the same reader replaces the first.
-- `reader_hash` is hex(sha256(secret || reader id)); the reader id itself is never stored.
CREATE TABLE votes (
    article     TEXT    NOT NULL,
    scale       TEXT    NOT NULL CHECK (scale IN ('stars', 'thumbs')),
    reader_hash TEXT    NOT NULL,
    value       INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (article, scale, reader_hash),
    CHECK ((scale = 'stars' AND value BETWEEN 1 AND 5) OR (scale = 'thumbs' AND value IN (0, 1)))
);

-- Server-wide settings, e.g. the reader-hashing secret generated on first start.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
