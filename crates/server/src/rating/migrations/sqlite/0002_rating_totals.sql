-- Running totals per rating, so that a summary reads one row instead of aggregating every vote.
-- Kept equal to `SELECT COUNT(*), SUM(value) FROM votes GROUP BY article, scale` by the store,
-- which updates it in the same transaction as each vote (see src/store/sqlite.rs).
CREATE TABLE rating_totals (
    article TEXT    NOT NULL,
    scale   TEXT    NOT NULL,
    count   INTEGER NOT NULL,
    sum     INTEGER NOT NULL,
    PRIMARY KEY (article, scale),
    CHECK (count >= 0 AND sum >= 0)
);

-- Votes cast before this migration. The migration runs in one write transaction, so no vote
-- slips in between the table's creation and this copy.
INSERT INTO rating_totals (article, scale, count, sum)
SELECT article, scale, COUNT(*), SUM(value) FROM votes GROUP BY article, scale;
