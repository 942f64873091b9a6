//! The ticker store on PostgreSQL (`READ COMMITTED`). One feed is fetched by one task per
//! server; several servers on one database may store the same feed at once, and each fetch
//! upserts its items (`ON CONFLICT`), so the last one wins, whole. A change to a breaking item
//! is one `UPDATE … RETURNING`.

use super::store::{ticker_store, Backend};
use crate::db::PgDb;

impl Backend for PgDb {
    type Database = sqlx::Postgres;
}

ticker_store!(
    PgDb,
    write: |db| db.pool.begin(),
    read: |db| &db.pool
);
