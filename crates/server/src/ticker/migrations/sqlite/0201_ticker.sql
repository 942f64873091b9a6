-- The ticker (issue 9): each configured feed's state, its newest items, and the newsroom's
-- breaking items.

-- One row per feed name: the validators of its last good answer and how the last fetch went.
CREATE TABLE ticker_feeds (
    name          TEXT    PRIMARY KEY,
    source        TEXT    NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    fetched_ms    INTEGER,
    outcome       TEXT    CHECK (outcome IN ('ok', 'not_modified', 'error')),
    error         TEXT,
    ok_ms         INTEGER,
    item_count    INTEGER NOT NULL DEFAULT 0
);

-- A feed's items, deduplicated by (feed, id): the guid, else the link. `sort_ms` orders them
-- (the date, else the date of the dated item above it in the feed, else when first seen),
-- `seq` is the place in the feed's latest answer (ties keep the feed's order).
CREATE TABLE ticker_items (
    feed         TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    published_ms INTEGER,
    section      TEXT,
    sort_ms      INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    seen_ms      INTEGER NOT NULL,
    PRIMARY KEY (feed, id)
);
CREATE INDEX ticker_items_newest ON ticker_items (feed, sort_ms DESC, seq);

-- Breaking items ("Tin nóng") posted by moderators; `feed` NULL means every feed.
CREATE TABLE ticker_breaking (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    feed         TEXT,
    pinned       INTEGER NOT NULL CHECK (pinned IN (0, 1)),
    pinned_ms    INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL,
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL,
    moderator_id INTEGER NOT NULL
);
CREATE INDEX ticker_breaking_live ON ticker_breaking (pinned, expires_ms);
