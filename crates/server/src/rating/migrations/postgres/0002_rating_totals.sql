-- The same table as migrations/sqlite/0002_rating_totals.sql, in PostgreSQL types.
-- Running totals per rating, so that a summary reads one row instead of aggregating every vote.
-- Kept equal to `SELECT COUNT(*), SUM(value) FROM votes GROUP BY article, scale` by the store,
-- which updates it in the same transaction as each vote (see src/store/postgres.rs).
CREATE TABLE rating_totals (
    article TEXT   NOT NULL,
    scale   TEXT   NOT NULL,
    count   BIGINT NOT NULL,
    sum     BIGINT NOT NULL,
    CONSTRAINT rating_totals_one_per_rating PRIMARY KEY (article, scale),
    CONSTRAINT rating_totals_not_negative CHECK (count >= 0 AND sum >= 0)
);

-- Votes cast before this migration. The migration runs in one transaction; the lock holds off
-- votes from other servers until it commits, so none is missed by the copy. (Servers of the
-- previous version do not update the totals: stop them before starting this one.)
LOCK TABLE votes IN SHARE MODE;
INSERT INTO rating_totals (article, scale, count, sum)
SELECT article, scale, COUNT(*), SUM(value) FROM votes GROUP BY article, scale;
