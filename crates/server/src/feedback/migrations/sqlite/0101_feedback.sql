-- Reader feedback and the moderation desk (issue 8). Versions 0101.. belong to the feedback
-- widget; the rating's are 0001.. (every widget's migrator ignores the others' versions).
-- Times are milliseconds since the Unix epoch. Text is stored NFC, as checked.

-- One row per message a reader sent. `id` is the widget's key for the send (32 hex digits), so
-- a repeated send is stored once. `status` is the moderators' decision; `deleted_ms` is a soft
-- delete on top of it (restoring brings the status back). `reasons` lists why it was taken for
-- spam (comma-separated codes). `reader_hash` is HMAC(secret, reader id), as for votes.
CREATE TABLE feedback (
    id           TEXT    PRIMARY KEY,
    article      TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    email        TEXT,
    message      TEXT    NOT NULL,
    message_hash TEXT    NOT NULL,
    reader_hash  TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'published', 'rejected', 'spam')),
    reasons      TEXT    NOT NULL DEFAULT '',
    likes        INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL,
    deleted_ms   INTEGER
);
CREATE INDEX feedback_public_newest ON feedback (article, status, created_ms, id);
CREATE INDEX feedback_public_liked ON feedback (article, status, likes, created_ms, id);
CREATE INDEX feedback_desk ON feedback (status, created_ms, id);
CREATE INDEX feedback_same_message ON feedback (message_hash, created_ms);
CREATE INDEX feedback_same_reader ON feedback (reader_hash, created_ms);

-- One like per reader and item; `feedback.likes` counts them (kept in the same transaction).
CREATE TABLE feedback_likes (
    feedback_id TEXT    NOT NULL REFERENCES feedback (id),
    reader_hash TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (feedback_id, reader_hash)
);

-- The newsroom's moderators. `token_hash` is SHA-256 of the one-time login token (NULL once it
-- is used); the token itself is printed once by `bangtin-server moderator add` and never stored.
CREATE TABLE moderators (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    token_hash    TEXT    UNIQUE,
    created_ms    INTEGER NOT NULL,
    last_login_ms INTEGER,
    revoked_ms    INTEGER
);

-- The newsroom's replies ("Tòa soạn trả lời"), shown under published items.
CREATE TABLE feedback_replies (
    id           TEXT    PRIMARY KEY,
    feedback_id  TEXT    NOT NULL REFERENCES feedback (id),
    message      TEXT    NOT NULL,
    moderator_id INTEGER NOT NULL REFERENCES moderators (id),
    created_ms   INTEGER NOT NULL
);
CREATE INDEX feedback_replies_of ON feedback_replies (feedback_id, created_ms);

-- Logged-in moderators: SHA-256 of the session id in the cookie (the id itself is not stored).
CREATE TABLE moderator_sessions (
    id_hash      TEXT    PRIMARY KEY,
    moderator_id INTEGER NOT NULL REFERENCES moderators (id),
    created_ms   INTEGER NOT NULL,
    seen_ms      INTEGER NOT NULL
);
CREATE INDEX moderator_sessions_of ON moderator_sessions (moderator_id);

-- Who did what, to which item, and when; written in the same transaction as the change.
-- `moderator_id` is NULL for the command line.
CREATE TABLE moderation_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms        INTEGER NOT NULL,
    moderator_id INTEGER REFERENCES moderators (id),
    action       TEXT    NOT NULL,
    feedback_id  TEXT,
    detail       TEXT    NOT NULL DEFAULT ''
);

-- Webhook notifications still to deliver (written with the feedback they announce).
CREATE TABLE feedback_webhook_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_id TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_ms     INTEGER NOT NULL,
    last_error  TEXT    NOT NULL DEFAULT '',
    created_ms  INTEGER NOT NULL
);
CREATE INDEX feedback_webhook_due ON feedback_webhook_outbox (state, next_ms);
